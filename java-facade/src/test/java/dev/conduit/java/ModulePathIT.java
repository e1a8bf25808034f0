package dev.conduit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The packaged jars are real named modules: a consumer that is itself a named module
 * ({@code src/test/modulepath}: {@code requires dev.conduit.java;}) compiles against the facade
 * jar, the runtime jar and their runtime dependencies on {@code --module-path} alone, and runs
 * there in a second JVM. Its program checks each Conduit module's name, that it has a descriptor,
 * and that it exports every package but the facade's Kotlin bridge, which stays closed at run
 * time (reflection fails); this test also checks that code naming that package does not compile.
 *
 * <p>An integration test (failsafe, {@code ./mvnw verify}): it needs the facade's own jar, which
 * the package phase makes after the unit tests. The build passes the jar, the runtime class path
 * ({@code dependency:build-classpath}) and the directories as system properties.
 */
@Timeout(120)
class ModulePathIT {
    private static final String PROGRAM = "dev.conduit.modulepath/dev.conduit.modulepath.ModulePathProgram";
    private static List<Path> modulePath;
    private static Path work;

    @BeforeAll
    static void readBuildLayout() throws IOException {
        Path facadeJar = Path.of(property("conduit.it.facadeJar"));
        assertTrue(Files.isRegularFile(facadeJar), "the facade jar is packaged: " + facadeJar);
        List<Path> paths = new ArrayList<>();
        paths.add(facadeJar);
        String dependencies = Files.readString(Path.of(property("conduit.it.dependencies")), StandardCharsets.UTF_8).trim();
        for (String p : dependencies.split(File.pathSeparator)) paths.add(Path.of(p));
        assertTrue(paths.stream().anyMatch(p -> p.getFileName().toString().startsWith("conduit-runtime-kt")),
                "the runtime jar is among the dependencies: " + paths);
        modulePath = paths;
        work = Files.createDirectories(Path.of(property("conduit.it.work")));
    }

    @Test
    void aNamedModuleUsesTheFacadeOnTheModulePathAlone() throws Exception {
        Path classes = Files.createDirectories(work.resolve("program"));
        List<Diagnostic<? extends JavaFileObject>> errors = compile(Path.of(property("conduit.it.sources")), classes);
        assertTrue(errors.isEmpty(), () -> "the consumer module compiles: " + describe(errors));

        List<Path> withProgram = new ArrayList<>(modulePath);
        withProgram.add(classes);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path log = work.resolve("program.log");
        Process process = new ProcessBuilder(java, "--module-path", join(withProgram), "-m", PROGRAM)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean ended = process.waitFor(60, TimeUnit.SECONDS);
        if (!ended) process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(ended, () -> "the module-path program ends within 60 s; it printed:\n" + output);
        assertEquals(0, process.exitValue(), () -> "the module-path program's exit code; it printed:\n" + output);
        assertTrue(output.contains("module path ok"), () -> "the program reports success; it printed:\n" + output);
    }

    @Test
    void codeOutsideTheFacadeCannotNameItsKotlinBridge() throws Exception {
        Path sources = work.resolve("probe-src");
        Path pkg = Files.createDirectories(sources.resolve("probe"));
        Files.writeString(sources.resolve("module-info.java"), "module probe { requires dev.conduit.java; }\n");
        Files.writeString(pkg.resolve("Probe.java"),
                "package probe;\n"
                        + "public final class Probe {\n"
                        + "    static Object bridge() { return dev.conduit.java.internal.GoThreads.INSTANCE; }\n"
                        + "}\n");
        List<Diagnostic<? extends JavaFileObject>> errors = compile(sources, Files.createDirectories(work.resolve("probe")));
        assertFalse(errors.isEmpty(), "naming dev.conduit.java.internal from another module must not compile");
        assertTrue(errors.stream().allMatch(d -> d.getCode().equals("compiler.err.package.not.visible")),
                () -> "the only errors are 'package not visible': " + describe(errors));
    }

    /** Compiles every {@code .java} file under {@code sources} for Java 17 against the module path; returns the errors. */
    private static List<Diagnostic<? extends JavaFileObject>> compile(Path sources, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<File> files;
        try (Stream<Path> walk = Files.walk(sources)) {
            files = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toFile).collect(Collectors.toList());
        }
        try (StandardJavaFileManager fm = javac.getStandardFileManager(diagnostics, null, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "--module-path", join(modulePath), "-d", classes.toString());
            javac.getTask(null, fm, diagnostics, options, null, fm.getJavaFileObjectsFromFiles(files)).call();
        }
        return diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .collect(Collectors.toList());
    }

    private static String describe(List<Diagnostic<? extends JavaFileObject>> diagnostics) {
        return diagnostics.stream()
                .<String>map(d -> d.getSource() + ":" + d.getLineNumber() + ": " + d.getCode() + ": " + d.getMessage(null))
                .collect(Collectors.joining("\n", "\n", ""));
    }

    private static String join(List<Path> paths) {
        return paths.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        assertTrue(value != null && !value.isEmpty(), "the build sets system property " + name + " (run ./mvnw verify)");
        return value;
    }
}
