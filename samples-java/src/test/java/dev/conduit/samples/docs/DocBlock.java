package dev.conduit.samples.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A fenced {@code java} or {@code kotlin} block of a Markdown file, with the compile marker
 * written on the nearest non-blank line above its opening fence (CONTRIBUTING.md, "Code in the
 * docs"): {@code <!-- compile: given Context ctx, Path dir -->} declares what a fragment may use,
 * {@code <!-- compile: skip because <reason> -->} leaves a block out.
 *
 * @param file the Markdown file, relative to the repository root
 * @param line the line of the opening fence, 1-based
 * @param lang {@code java} or {@code kotlin}
 * @param code the lines between the fences
 * @param given the fragment's parameter declarations, in the block's language, or {@code ""}
 * @param skipReason why the block is not compiled, or null when it is
 */
record DocBlock(Path file, int line, String lang, List<String> code, String given, String skipReason) {
    /** The languages whose blocks are compiled. */
    static final Set<String> LANGS = Set.of("java", "kotlin");

    private static final Pattern FENCE = Pattern.compile("^\\s*```\\s*(\\S*).*$");
    private static final Pattern MARKER = Pattern.compile("^\\s*<!--\\s*compile:\\s*(.*?)\\s*-->\\s*$");
    private static final Pattern GIVEN = Pattern.compile("given\\s+(\\S.*)");
    private static final Pattern SKIP = Pattern.compile("skip because\\s+(\\S.*)");

    /** Where the block starts, as {@code file:line} (the opening fence). */
    String where() {
        return file + ":" + line;
    }

    /** The document line of the block's {@code index}-th code line (0-based). */
    int docLine(int index) {
        return line + 1 + index;
    }

    /**
     * Every {@code java} and {@code kotlin} block of {@code root.resolve(file)}, in order. Blocks
     * of other languages are passed over.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException naming the file and line, for a fence left open or a
     *     {@code compile:} marker that is neither {@code given ...} nor {@code skip because ...}
     */
    static List<DocBlock> parse(Path root, Path file) throws IOException {
        List<String> lines = Files.readAllLines(root.resolve(file));
        List<DocBlock> blocks = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i));
            if (!open.matches()) continue;
            int start = i;
            String lang = open.group(1);
            do {
                i++;
                if (i == lines.size()) {
                    throw new IllegalArgumentException(file + ":" + (start + 1) + ": code fence never closed");
                }
            } while (!lines.get(i).strip().equals("```"));
            if (LANGS.contains(lang)) {
                blocks.add(block(file, lines, start, lang, List.copyOf(lines.subList(start + 1, i))));
            }
        }
        return blocks;
    }

    private static DocBlock block(Path file, List<String> lines, int fence, String lang, List<String> code) {
        int above = fence - 1;
        while (above >= 0 && lines.get(above).isBlank()) above--;
        Matcher marker = above >= 0 ? MARKER.matcher(lines.get(above)) : null;
        if (marker == null || !marker.matches()) return new DocBlock(file, fence + 1, lang, code, "", null);
        String text = marker.group(1);
        Matcher given = GIVEN.matcher(text);
        if (given.matches()) return new DocBlock(file, fence + 1, lang, code, given.group(1), null);
        Matcher skip = SKIP.matcher(text);
        if (skip.matches()) return new DocBlock(file, fence + 1, lang, code, "", skip.group(1));
        throw new IllegalArgumentException(file + ":" + (above + 1) + ": a compile marker is "
                + "'<!-- compile: given <declarations> -->' or '<!-- compile: skip because <reason> -->', but was: "
                + lines.get(above).strip());
    }
}
