package dev.conduit.java.core;

import dev.conduit.chan.Chan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Executable;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipFile;
import kotlin.coroutines.Continuation;
import org.jspecify.annotations.Nullable;

/**
 * The core's Java-visible API, found by scanning runtime-kt's classes (its {@code target/classes}
 * directory or its jar, whichever the test class path holds), so a new public class is covered
 * without being listed anywhere.
 *
 * <p>A class is part of it when it is in {@code dev.conduit} or below (not the facade's
 * {@code dev.conduit.java}), {@code public} in bytecode, not synthetic, anonymous or local, and, if
 * compiled from Kotlin, declared {@code public} in Kotlin: Kotlin's {@code internal} (including
 * {@code @PublishedApi internal}) classes are {@code public} in bytecode but only the metadata
 * says so, and Kotlin's synthetic classes ({@code $DefaultImpls}, {@code $WhenMappings}, lambdas)
 * are its compatibility plumbing, not API. A nested class is part of it only when its outer
 * classes are.
 *
 * <p>A member is part of it when it is {@code public}, not synthetic (Kotlin's {@code $default}
 * bridges and {@code @JvmSynthetic} forms; javac's bridges are kept), not a mangled
 * {@code internal} member (its name holds a {@code $}), not a function Java source cannot name
 * (Kotlin mangles one taking an inline class such as {@code kotlin.time.Duration} with a
 * {@code -}: {@code reset-LRDsOJo}), declared by a core class, and not
 * declared non-public in the Kotlin metadata (top-level {@code internal} functions and
 * {@code internal constructor}s are not mangled).
 */
final class CoreApi {
    private static final String ROOT = "dev/conduit/";
    private static final String FACADE = "dev/conduit/java/";

    private CoreApi() {}

    /** Every class of the core's Java-visible API, by name. */
    static List<Class<?>> classes() {
        return classNames().stream()
                .map(CoreApi::load)
                .filter(CoreApi::isApiClass)
                .sorted(Comparator.comparing(Class::getName))
                .toList();
    }

    /** Whether {@code type} is part of the core's Java-visible API (see the class comment). */
    static boolean isApiClass(Class<?> type) {
        if (!isCore(type)) return false;
        if (!Modifier.isPublic(type.getModifiers()) || type.isSynthetic() || type.isAnonymousClass() || type.isLocalClass()) return false;
        KotlinDeclarations kotlin = KotlinDeclarations.of(type);
        if (kotlin != null && !kotlin.publicClass) return false;
        return type.getEnclosingClass() == null || isApiClass(type.getEnclosingClass());
    }

    /** Whether {@code type} is runtime-kt's: in {@code dev.conduit} or below, but not the facade's {@code dev.conduit.java}. */
    private static boolean isCore(Class<?> type) {
        String path = type.getName().replace('.', '/');
        return path.startsWith(ROOT) && !path.startsWith(FACADE);
    }

    /** Whether {@code member} is part of the core's Java-visible API (see the class comment). */
    static boolean isApiMember(Executable member) {
        if (!Modifier.isPublic(member.getModifiers()) || member.getName().contains("$") || member.getName().contains("-")) return false;
        if (member.isSynthetic() && !(member instanceof Method m && m.isBridge())) return false;
        Class<?> owner = member.getDeclaringClass();
        if (!isCore(owner)) return false; // the JDK's or Kotlin's members (Object, AbstractQueue, Throwable): their contracts
        if (Modifier.isPublic(owner.getModifiers()) && !isApiClass(owner)) return false; // declared by a Kotlin-internal class
        KotlinDeclarations kotlin = KotlinDeclarations.of(owner);
        return kotlin == null || !kotlin.isNonPublic(member);
    }

    /** Whether a parameter of {@code member} is a suspend function's {@code Continuation}: Kotlin's, not Java's. */
    static boolean suspends(Executable member) {
        return Arrays.asList(member.getParameterTypes()).contains(Continuation.class);
    }

    /**
     * Whether parameter {@code index} of {@code member} may legitimately be null. In a class compiled
     * from Kotlin: Kotlin declared it nullable ({@code T?}), or its type is a type parameter {@code T}
     * without a non-null bound: Conduit's channels carry a Kotlin {@code Chan<String?>}'s nulls, so to
     * Java such a {@code T} admits null and the core neither checks nor refuses it (the Java facade
     * refuses null elements itself). In a class written in Java: its type is annotated with
     * JSpecify's {@link Nullable}.
     *
     * @throws IllegalStateException if {@code member} is in a Kotlin class but its metadata does not describe it
     */
    static boolean isNullable(Executable member, int index) {
        KotlinDeclarations kotlin = KotlinDeclarations.of(member.getDeclaringClass());
        return kotlin != null ? kotlin.isNullable(member, index)
                : member.getParameters()[index].getAnnotatedType().isAnnotationPresent(Nullable.class);
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, CoreApi.class.getClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The names of runtime-kt's classes under {@code dev.conduit}, from the directory or jar that holds {@link Chan}. */
    private static List<String> classNames() {
        try {
            Path root = Path.of(Chan.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            List<String> entries = new ArrayList<>();
            if (Files.isDirectory(root)) {
                try (Stream<Path> walk = Files.walk(root)) {
                    walk.filter(Files::isRegularFile).forEach(p -> entries.add(root.relativize(p).toString().replace('\\', '/')));
                }
            } else {
                try (ZipFile jar = new ZipFile(root.toFile())) {
                    jar.stream().forEach(e -> entries.add(e.getName()));
                }
            }
            return entries.stream()
                    .filter(e -> e.startsWith(ROOT) && !e.startsWith(FACADE) && e.endsWith(".class"))
                    .filter(e -> !e.endsWith("module-info.class") && !e.endsWith("package-info.class"))
                    .map(e -> e.substring(0, e.length() - ".class".length()).replace('/', '.'))
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
