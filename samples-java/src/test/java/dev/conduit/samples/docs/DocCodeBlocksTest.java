package dev.conduit.samples.docs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.jetbrains.kotlin.cli.common.ExitCode;
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Every {@code java} and {@code kotlin} block of the repository's Markdown (README.md,
 * CONTRIBUTING.md, each module's README.md) compiles against this module's test classpath (the
 * built facade and core), and each one that is a program runs to a clean exit within
 * {@link #RUN_TIMEOUT_SECONDS}. A failure names the file, the block's line and the compiler's
 * diagnostics at document lines. How a block becomes a source file: {@link Snippet}.
 *
 * <p>It lives in samples-java because that is the module built last whose test classpath holds
 * what a user of both languages has: the facade, the core and their dependencies.
 */
class DocCodeBlocksTest {
    private static final long RUN_TIMEOUT_SECONDS = 30;
    private static final Path ROOT = Path.of(System.getProperty("conduit.docs.root", "..")).toAbsolutePath().normalize();
    private static final Path OUT = Path.of("target", "doc-blocks").toAbsolutePath();
    private static final String CLASSPATH =
            System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    private static final Pattern KOTLIN_MESSAGE = Pattern.compile("^.*?Snippet\\.kt:(\\d+):(\\d+): (.*)$");

    /** One test per block; a block marked {@code skip because ...} is reported as skipped, with its reason. */
    @TestFactory
    Stream<DynamicTest> everyBlockCompilesAndEveryProgramRuns() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (DocBlock block : blocks()) {
            tests.add(DynamicTest.dynamicTest(block.where() + " (" + block.lang() + ")", () -> {
                if (block.skipReason() != null) Assumptions.abort("skipped because " + block.skipReason());
                check(block);
            }));
        }
        return tests.stream();
    }

    @Test
    void theReadmeLeadsWithJava() throws IOException {
        List<DocBlock> readme = DocBlock.parse(ROOT, Path.of("README.md"));
        assertFalse(readme.isEmpty(), "README.md has no java or kotlin blocks: is conduit.docs.root (" + ROOT + ") right?");
        assertEquals("java", readme.get(0).lang(), "the README's first code example is Java, but was " + readme.get(0).where());
    }

    @Test
    void aFragmentThatDoesNotCompileIsReportedAtItsDocumentLine() {
        DocBlock block = new DocBlock(Path.of("synthetic.md"), 7, "java",
                List.of("import java.nio.file.Path;", "Path p = Path.of(\"a\");", "int n = p;"), "String s", null);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check(block));
        assertTrue(e.getMessage().contains("synthetic.md:10: error: incompatible types"),
                () -> "expected the error at synthetic.md:10 (the block's third line), but was:\n" + e.getMessage());
    }

    @Test
    void aProgramThatFailsIsReportedWithItsExitCodeAndOutput() {
        DocBlock block = new DocBlock(Path.of("synthetic.md"), 1, "java",
                List.of("public class Exits {", "    public static void main(String[] args) {",
                        "        System.out.println(\"about to fail\");", "        System.exit(3);", "    }", "}"),
                "", null);
        AssertionFailedError e = assertThrows(AssertionFailedError.class, () -> check(block));
        assertTrue(e.getMessage().contains("exited with 3") && e.getMessage().contains("about to fail"),
                () -> "expected exit code 3 and the program's output, but was:\n" + e.getMessage());
    }

    /** The blocks of README.md, CONTRIBUTING.md and every module's README.md. */
    private static List<DocBlock> blocks() throws IOException {
        List<Path> docs = new ArrayList<>(List.of(Path.of("README.md"), Path.of("CONTRIBUTING.md")));
        try (Stream<Path> dirs = Files.list(ROOT)) {
            dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml")) && Files.isRegularFile(d.resolve("README.md")))
                    .sorted()
                    .forEach(d -> docs.add(ROOT.relativize(d.resolve("README.md"))));
        }
        List<DocBlock> blocks = new ArrayList<>();
        for (Path doc : docs) blocks.addAll(DocBlock.parse(ROOT, doc));
        return blocks;
    }

    private static void check(DocBlock block) throws Exception {
        Snippet snippet = Snippet.of(block);
        Path out = OUT.resolve(snippet.packageName().replace('.', File.separatorChar));
        deleteTree(out); // a class an earlier version of the block declared must not linger
        Path source = out.resolve("src").resolve(snippet.fileName());
        Files.createDirectories(source.getParent());
        Files.writeString(source, snippet.text(), UTF_8);
        Path classes = out.resolve("classes");
        Files.createDirectories(classes);
        List<String> errors = block.lang().equals("java")
                ? compileJava(block, snippet, source, classes)
                : compileKotlin(block, snippet, source, classes);
        if (!errors.isEmpty()) {
            fail(block.where() + ": the " + block.lang() + " block does not compile (source: " + source + "):\n"
                    + String.join("\n", errors));
        }
        if (snippet.mainClass() != null) run(block, snippet.mainClass(), classes);
    }

    /** Compiles with javac at the build's release; the errors, at document lines. Blocks. */
    private static List<String> compileJava(DocBlock block, Snippet snippet, Path source, Path classes) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(diagnostics, null, UTF_8)) {
            List<String> options = List.of("--release", "17", "-classpath", CLASSPATH, "-d", classes.toString(), "-proc:none");
            boolean ok = javac.getTask(null, files, diagnostics, options, null, files.getJavaFileObjects(source)).call();
            List<String> errors = new ArrayList<>();
            for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
                if (d.getKind() == Diagnostic.Kind.ERROR || !ok) {
                    errors.add(block.file() + ":" + snippet.docLine(d.getLineNumber()) + ": "
                            + d.getKind().toString().toLowerCase(Locale.ROOT) + ": " + d.getMessage(null));
                }
            }
            if (!ok && errors.isEmpty()) errors.add("javac failed without a diagnostic");
            return errors;
        }
    }

    /** Compiles with the build's Kotlin compiler, in this JVM; the messages, at document lines. Blocks. */
    private static List<String> compileKotlin(DocBlock block, Snippet snippet, Path source, Path classes) {
        ByteArrayOutputStream messages = new ByteArrayOutputStream();
        ExitCode code;
        try (PrintStream stream = new PrintStream(messages, true, UTF_8)) {
            code = new K2JVMCompiler().exec(stream,
                    "-no-stdlib", "-no-reflect", "-jvm-target", "17", "-Xjdk-release=17",
                    "-classpath", CLASSPATH, "-d", classes.toString(), source.toString());
        }
        if (code == ExitCode.OK) return List.of();
        List<String> errors = new ArrayList<>();
        for (String line : messages.toString(UTF_8).split("\n")) {
            Matcher m = KOTLIN_MESSAGE.matcher(line);
            errors.add(m.matches() ? block.file() + ":" + snippet.docLine(Long.parseLong(m.group(1))) + ":" + m.group(2) + ": " + m.group(3) : line);
        }
        errors.add("kotlinc: " + code);
        return errors;
    }

    /** Runs {@code mainClass} in a JVM of its own, as a user would; fails unless it exits 0 in time. Blocks. */
    private static void run(DocBlock block, String mainClass, Path classes) throws IOException, InterruptedException {
        Path output = classes.resolveSibling("output.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-cp", classes + File.pathSeparator + CLASSPATH, mainClass)
                .redirectErrorStream(true)
                .redirectOutput(output.toFile())
                .start();
        if (!process.waitFor(RUN_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            fail(block.where() + ": the program did not end within " + RUN_TIMEOUT_SECONDS + " s; its output:\n" + read(output));
        }
        if (process.exitValue() != 0) {
            fail(block.where() + ": the program exited with " + process.exitValue() + "; its output:\n" + read(output));
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
