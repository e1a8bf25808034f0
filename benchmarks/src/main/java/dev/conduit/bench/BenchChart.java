package dev.conduit.bench;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;

/**
 * Turns JMH JSON results ({@code -rf json}) into one PNG bar chart per benchmark class, and
 * prints a Markdown table of the scores with each result's bytes allocated per operation when
 * the run had {@code -prof gc} (JMH's {@code gc.alloc.rate.norm}). Usage:
 * {@code java -cp benchmarks/target/benchmarks.jar dev.conduit.bench.BenchChart results.json... [--out DIR]}.
 */
public final class BenchChart {
    private BenchChart() {}

    /** The secondary metric that {@code -prof gc} adds: bytes allocated per operation, all threads. */
    static final String BYTES_PER_OP = "gc.alloc.rate.norm";

    /**
     * One JMH result: {@code benchmark} is "Class.method"; {@code params} e.g. "capacity=64";
     * {@code bytes} and {@code bytesError} are the {@code gc.alloc.rate.norm} score and error
     * (B/op), NaN when the run had no {@code -prof gc}; an error JMH could not compute is 0.
     */
    public record Result(String benchmark, String params, double score, double error, String unit,
                         double bytes, double bytesError) {
        /** A result without allocation figures (a run without {@code -prof gc}). */
        public Result(String benchmark, String params, double score, double error, String unit) {
            this(benchmark, params, score, error, unit, Double.NaN, Double.NaN);
        }

        String className() {
            return benchmark.substring(0, benchmark.lastIndexOf('.'));
        }

        String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }
    }

    /**
     * Reads a JMH JSON result file.
     *
     * @throws IOException if the file cannot be read
     * @throws IllegalArgumentException if it is not a JMH JSON result array, naming the file
     */
    public static List<Result> read(Path json) throws IOException {
        JsonElement root;
        try (Reader r = Files.newBufferedReader(json)) {
            root = JsonParser.parseReader(r);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(json + " is not JSON: " + e.getMessage(), e);
        }
        if (!root.isJsonArray()) throw new IllegalArgumentException(json + " is not a JMH result array");
        List<Result> results = new ArrayList<>();
        for (JsonElement e : root.getAsJsonArray()) {
            JsonObject o = e.getAsJsonObject();
            String full = o.get("benchmark").getAsString();
            String benchmark = full.substring(full.lastIndexOf('.', full.lastIndexOf('.') - 1) + 1);
            JsonObject metric = o.getAsJsonObject("primaryMetric");
            JsonObject secondary = o.has("secondaryMetrics") ? o.getAsJsonObject("secondaryMetrics") : new JsonObject();
            JsonObject gc = secondary.has(BYTES_PER_OP) ? secondary.getAsJsonObject(BYTES_PER_OP) : null;
            results.add(new Result(benchmark, params(o), metric.get("score").getAsDouble(), error(metric),
                    metric.get("scoreUnit").getAsString(),
                    gc == null ? Double.NaN : gc.get("score").getAsDouble(), gc == null ? Double.NaN : error(gc)));
        }
        return results;
    }

    /** A metric's {@code scoreError}, or 0 where JMH wrote "NaN" (a single fork and iteration). */
    private static double error(JsonObject metric) {
        JsonElement e = metric.get("scoreError");
        return e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber() ? e.getAsDouble() : 0;
    }

    private static String params(JsonObject o) {
        if (!o.has("params")) return "";
        Map<String, String> sorted = new TreeMap<>();
        o.getAsJsonObject("params").entrySet().forEach(p -> sorted.put(p.getKey(), p.getValue().getAsString()));
        return sorted.entrySet().stream().map(p -> p.getKey() + "=" + p.getValue()).collect(Collectors.joining(","));
    }

    /**
     * Writes one bar chart per benchmark class into {@code outDir}: a bar per method, a series per
     * parameter set. Returns the files written.
     *
     * @throws IOException if a file cannot be written
     */
    public static List<Path> render(List<Result> results, Path outDir) throws IOException {
        Files.createDirectories(outDir);
        Map<String, List<Result>> byClass = new LinkedHashMap<>();
        results.forEach(r -> byClass.computeIfAbsent(r.className(), k -> new ArrayList<>()).add(r));
        List<Path> written = new ArrayList<>();
        for (Map.Entry<String, List<Result>> e : byClass.entrySet()) {
            String unit = e.getValue().get(0).unit();
            CategoryChart chart = new CategoryChartBuilder().width(900).height(500)
                    .title(e.getKey()).xAxisTitle("implementation").yAxisTitle(unit).build();
            chart.getStyler().setLegendVisible(true);
            List<String> methods = e.getValue().stream().map(Result::method).distinct().toList();
            Map<String, List<Result>> bySeries = new LinkedHashMap<>();
            e.getValue().forEach(r -> bySeries.computeIfAbsent(r.params().isEmpty() ? "score" : r.params(), k -> new ArrayList<>()).add(r));
            for (Map.Entry<String, List<Result>> s : bySeries.entrySet()) {
                List<Double> scores = new ArrayList<>();
                for (String m : methods) {
                    scores.add(s.getValue().stream().filter(r -> r.method().equals(m)).mapToDouble(Result::score).findFirst().orElse(0));
                }
                chart.addSeries(s.getKey(), methods, scores);
            }
            Path png = outDir.resolve(e.getKey() + ".png");
            BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
            written.add(png);
        }
        return written;
    }

    /**
     * The results as a Markdown table; the B/op column ({@code -prof gc}'s
     * {@code gc.alloc.rate.norm}, ± its error) is blank for a result measured without it.
     */
    public static String table(List<Result> results) {
        StringBuilder sb = new StringBuilder(
                "| benchmark | params | score | error | unit | B/op |\n|---|---|---:|---:|---|---:|\n");
        for (Result r : results) {
            String bytes = Double.isNaN(r.bytes()) ? "" : bytes(r.bytes()) + " ± " + bytes(r.bytesError());
            sb.append(String.format("| %s | %s | %,.1f | %,.1f | %s | %s |%n",
                    r.benchmark(), r.params(), r.score(), r.error(), r.unit(), bytes));
        }
        return sb.toString();
    }

    /** Bytes with the digits that matter: whole bytes from 100 up, one decimal from 1, else two significant. */
    static String bytes(double b) {
        if (b >= 100) return String.format("%,.0f", b);
        if (b >= 1) return String.format("%.1f", b);
        return b == 0 ? "0" : String.format("%.2g", b);
    }

    /**
     * Reads each JSON file named in {@code args}, writes the charts to {@code --out DIR}
     * (default {@code benchmarks/results}), says which files it wrote on standard error and
     * prints the table on standard output (so {@code > table.md} keeps the table alone).
     *
     * @throws IllegalArgumentException if no JSON file is given
     */
    public static void main(String[] args) throws IOException {
        System.setProperty("java.awt.headless", "true");
        Path out = Path.of("benchmarks/results");
        List<Result> all = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--out") && i + 1 < args.length) {
                out = Path.of(args[++i]);
            } else {
                all.addAll(read(Path.of(args[i])));
            }
        }
        if (all.isEmpty()) throw new IllegalArgumentException("usage: BenchChart results.json... [--out DIR]");
        for (Path p : render(all, out)) System.err.println("wrote " + p);
        System.out.print(table(all));
    }
}
