package dev.conduit.samples.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The source file a {@link DocBlock} compiles as, and the document line of each of its lines.
 *
 * <p>A block that declares a top-level type (Java) or a top-level function or type (Kotlin) is a
 * complete file and is compiled as written. Any other block is a fragment: its {@code import}
 * lines go to the top of the file, under the template's imports, and its other lines become the
 * body of a method whose parameters are the block's {@code given} declarations. Either way the
 * file gets a package of its own, so blocks never clash. CONTRIBUTING.md ("Code in the docs")
 * states the same rules for writers.
 *
 * @param packageName the package the block is compiled in
 * @param fileName the source file's name
 * @param lines the source file's lines
 * @param docLines for each source line, the document line it came from, or the block's fence line
 *     for a line the template added
 * @param mainClass the class to run when the block is a program with a {@code main}, or null
 */
record Snippet(String packageName, String fileName, List<String> lines, List<Integer> docLines, String mainClass) {
    private static final Pattern IMPORT = Pattern.compile("^\\s*import\\s.*");
    private static final Pattern JAVA_TYPE =
            Pattern.compile("^(?:(?:public|final|abstract|sealed|non-sealed)\\s+)*(?:class|record|interface|enum)\\s+(\\w+).*");
    private static final Pattern JAVA_MAIN = Pattern.compile(".*\\bstatic\\s+void\\s+main\\s*\\(.*");
    private static final Pattern KOTLIN_TOP_LEVEL = Pattern.compile(
            "^(?:(?:suspend|data|sealed|abstract|open|private|internal)\\s+)*(?:fun|class|object|interface)\\s.*");
    private static final Pattern KOTLIN_MAIN = Pattern.compile("^(?:suspend\\s+)?fun\\s+main\\s*\\(.*");

    /** Imports of every Java fragment: the facade, the core context Java uses directly, and the JDK's usual ones. */
    static final List<String> JAVA_IMPORTS = List.of(
            "dev.conduit.context.*", "dev.conduit.java.*", "dev.conduit.java.chan.*", "dev.conduit.java.pipeline.*",
            "dev.conduit.java.resilience.*", "dev.conduit.java.sync.*",
            "java.time.*", "java.util.*", "java.util.concurrent.*");

    /** Imports of every Kotlin fragment: the core's packages, kotlinx.coroutines and the Duration units. */
    static final List<String> KOTLIN_IMPORTS = List.of(
            "dev.conduit.*", "dev.conduit.chan.*", "dev.conduit.context.*", "dev.conduit.pipeline.*",
            "dev.conduit.resilience.*", "dev.conduit.sync.*", "kotlinx.coroutines.*",
            "kotlin.time.Duration.Companion.milliseconds", "kotlin.time.Duration.Companion.seconds");

    /** The source a block compiles as. Never blocks. */
    static Snippet of(DocBlock block) {
        String pkg = packageOf(block);
        Builder out = new Builder(block);
        boolean java = block.lang().equals("java");
        out.add(java ? "package " + pkg + ";" : "package " + pkg);
        String complete = completeName(block, java);
        if (complete != null) {
            for (int i = 0; i < block.code().size(); i++) out.addDoc(block.code().get(i), i);
            boolean runnable = block.code().stream().anyMatch(l -> (java ? JAVA_MAIN : KOTLIN_MAIN).matcher(l).matches());
            String fileName = java ? complete + ".java" : "Snippet.kt";
            String main = !runnable ? null : pkg + "." + (java ? complete : "SnippetKt");
            return out.build(pkg, fileName, main);
        }
        for (String imp : java ? JAVA_IMPORTS : KOTLIN_IMPORTS) out.add("import " + imp + (java ? ";" : ""));
        List<Integer> body = new ArrayList<>();
        for (int i = 0; i < block.code().size(); i++) {
            if (IMPORT.matcher(block.code().get(i)).matches()) out.addDoc(block.code().get(i), i);
            else body.add(i);
        }
        out.add(java
                ? "final class Fragment { static void fragment(" + block.given() + ") throws Exception {"
                : "suspend fun CoroutineScope.fragment(" + block.given() + ") {");
        for (int i : body) out.addDoc(block.code().get(i), i);
        out.add(java ? "}}" : "}");
        return out.build(pkg, java ? "Fragment.java" : "Snippet.kt", null);
    }

    /**
     * For a complete Java file, the name of its first top-level type (the public one, when the
     * block is a program); for a complete Kotlin file, {@code ""}; for a fragment, null.
     */
    private static String completeName(DocBlock block, boolean java) {
        for (String line : block.code()) {
            if (java) {
                var type = JAVA_TYPE.matcher(line);
                if (type.matches()) return type.group(1);
            } else if (KOTLIN_TOP_LEVEL.matcher(line).matches()) {
                return "";
            }
        }
        return null;
    }

    /** {@code docs.readme_md.l23} for the block at README.md:23. */
    private static String packageOf(DocBlock block) {
        String file = block.file().toString().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        return "docs." + file + ".l" + block.line();
    }

    /** The document line of a source line (1-based), for diagnostics. */
    int docLine(long sourceLine) {
        return sourceLine >= 1 && sourceLine <= docLines.size() ? docLines.get((int) sourceLine - 1) : docLines.get(0);
    }

    /** The source as one string. */
    String text() {
        return String.join("\n", lines) + "\n";
    }

    private static final class Builder {
        private final DocBlock block;
        private final List<String> lines = new ArrayList<>();
        private final List<Integer> docLines = new ArrayList<>();

        Builder(DocBlock block) {
            this.block = block;
        }

        /** A line the template adds: diagnostics on it point at the fence. */
        void add(String line) {
            lines.add(line);
            docLines.add(block.line());
        }

        /** The block's {@code index}-th code line. */
        void addDoc(String line, int index) {
            lines.add(line);
            docLines.add(block.docLine(index));
        }

        Snippet build(String pkg, String fileName, String mainClass) {
            return new Snippet(pkg, fileName, List.copyOf(lines), List.copyOf(docLines), mainClass);
        }
    }
}
