package dev.conduit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.chan.Channel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import kotlin.coroutines.Continuation;
import org.junit.jupiter.api.Test;

/**
 * What a Java user's autocomplete shows: every public facade type, and every core type a facade
 * method takes, returns or throws (a {@code Context}, a {@code Received}, an exception), offers
 * no Kotlin plumbing. No public, non-synthetic method takes a {@link Continuation} (a suspend
 * function), has a {@code $} in its name (a mangled {@code internal} member, a bridge that is
 * not marked synthetic) or a {@code -} (a member mangled for an inline class such as
 * {@code kotlin.time.Duration}, which Java cannot call).
 * The core objects handed across by {@code wrap}/{@code unwrap} are Kotlin's on purpose and are
 * not part of this surface.
 */
class JavaSurfaceTest {
    private static final Comparator<Class<?>> BY_NAME = Comparator.comparing(Class::getName);

    @Test
    void noSuspendOrMangledMemberOnATypeJavaUsersTouch() {
        Set<Class<?>> surface = surface();
        assertTrue(surface.size() > 40, "the scan found the facade: " + surface.size() + " types");
        List<String> offending = new ArrayList<>();
        for (Class<?> type : surface) {
            for (Method m : type.getMethods()) {
                // Synthetic members (Kotlin's $default and access$ bridges) are not in Java's view: javac
                // refuses a reference to one and IDEs leave them out of completion.
                if (m.getDeclaringClass() == Object.class || m.isSynthetic()) continue;
                boolean suspends = Arrays.asList(m.getParameterTypes()).contains(Continuation.class);
                // A '-' is Kotlin's mangling of a member taking or returning an inline class (a kotlin.time
                // Duration): no Java code can call it, so what it offers must have a Java-callable form.
                if (suspends || m.getName().contains("$") || m.getName().contains("-")) offending.add(type.getName() + "." + m.getName() + Arrays.toString(m.getParameterTypes()));
            }
        }
        assertEquals(List.of(), offending, "suspend or mangled members visible to Java");
    }

    /** The public facade types and the core types in their public signatures (except wrap/unwrap). */
    private static Set<Class<?>> surface() {
        Set<Class<?>> facade = new TreeSet<>(BY_NAME);
        for (String name : facadeClassNames()) {
            Class<?> type = load(name);
            if (Modifier.isPublic(type.getModifiers()) && !type.isSynthetic()) facade.add(type);
        }
        Set<Class<?>> all = new TreeSet<>(BY_NAME);
        all.addAll(facade);
        for (Class<?> type : facade) {
            for (Method m : type.getMethods()) {
                if (m.getName().equals("wrap") || m.getName().equals("unwrap")) continue;
                addCore(all, m.getReturnType());
                addCore(all, m);
            }
            for (Executable c : type.getConstructors()) addCore(all, c);
        }
        return all;
    }

    private static void addCore(Set<Class<?>> into, Executable e) {
        for (Class<?> p : e.getParameterTypes()) addCore(into, p);
        for (Class<?> x : e.getExceptionTypes()) addCore(into, x);
    }

    private static void addCore(Set<Class<?>> into, Class<?> type) {
        while (type.isArray()) type = type.getComponentType();
        String name = type.getName();
        if (name.startsWith("dev.conduit.") && !name.startsWith("dev.conduit.java.")) into.add(type);
    }

    /** Class names under {@code dev/conduit/java} in the facade's classes, without its internal package. */
    private static List<String> facadeClassNames() {
        try {
            Path root = Path.of(Channel.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isDirectory(root)) return classNames(root);
            try (FileSystem jar = FileSystems.newFileSystem(root)) {
                return classNames(jar.getPath("/"));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> classNames(Path root) throws IOException {
        Path base = root.resolve("dev/conduit/java");
        try (Stream<Path> files = Files.walk(base)) {
            return files.map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> p.endsWith(".class") && !p.startsWith("dev/conduit/java/internal/") && !p.endsWith("module-info.class"))
                    .map(p -> p.substring(0, p.length() - ".class".length()).replace('/', '.'))
                    .toList();
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, JavaSurfaceTest.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }
}
