package dev.conduit.java;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Conduit works when its jars are named modules: a second JVM runs {@link ModulePathProgram}
 * with the runtime (an automatic module), kotlinx.coroutines and the Kotlin standard library on
 * {@code --module-path}. Reading another module's private fields (as the channel's len once did
 * with kotlinx's) fails there, so this catches it.
 */
@Timeout(120)
class ModulePathTest {
    @Test
    void aChannelProgramRunsWithTheJarsOnTheModulePath() throws Exception {
        List<String> classPath = Arrays.asList(System.getProperty("java.class.path").split(File.pathSeparator));
        List<String> modules = classPath.stream()
                .filter(p -> p.endsWith(".jar"))
                .filter(p -> p.contains("conduit-runtime-kt") || p.contains("kotlin-stdlib") || p.contains("kotlinx-coroutines-core"))
                .collect(Collectors.toList());
        // In ./mvnw verify (and CI) the runtime is its packaged jar; a bare `test` run has classes only.
        Assumptions.assumeTrue(modules.stream().anyMatch(p -> p.contains("conduit-runtime-kt")),
                "needs the packaged runtime jar (run ./mvnw verify)");
        List<String> rest = classPath.stream().filter(p -> !modules.contains(p)).collect(Collectors.toList());
        String java = System.getProperty("java.home") + File.separator + "bin" + File.separator + "java";
        List<String> command = new ArrayList<>(List.of(java,
                "--module-path", String.join(File.pathSeparator, modules),
                "--add-modules", "ALL-MODULE-PATH",
                "-cp", String.join(File.pathSeparator, rest),
                ModulePathProgram.class.getName()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "the module-path program finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("module path ok"), output);
    }
}
