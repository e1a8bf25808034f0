package dev.conduit.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchChartTest {
    @TempDir
    Path dir;

    @Test
    void readsJmhJsonAndDrawsOneChartPerClass() throws Exception {
        System.setProperty("java.awt.headless", "true");
        Path json = dir.resolve("r.json");
        Files.writeString(json, """
                [
                  {"benchmark": "dev.conduit.bench.PingPongBenchmark.conduitChan", "mode": "avgt",
                   "primaryMetric": {"score": 950.5, "scoreError": 12.5, "scoreUnit": "ns/op"}},
                  {"benchmark": "dev.conduit.bench.PingPongBenchmark.kotlinxChannel", "mode": "avgt",
                   "primaryMetric": {"score": 900.0, "scoreError": "NaN", "scoreUnit": "ns/op"},
                   "secondaryMetrics": {
                     "gc.alloc.rate": {"score": 250.0, "scoreError": 3.0, "scoreUnit": "MB/sec"},
                     "gc.alloc.rate.norm": {"score": 52.66, "scoreError": 0.04, "scoreUnit": "B/op"}}},
                  {"benchmark": "dev.conduit.bench.VirtualThreadHandoffBenchmark.jox", "mode": "thrpt",
                   "params": {"capacity": "64"},
                   "primaryMetric": {"score": 1.5E7, "scoreError": 1.0E5, "scoreUnit": "ops/s"}}
                ]
                """);
        List<BenchChart.Result> results = BenchChart.read(json);
        assertEquals(3, results.size());
        assertEquals(new BenchChart.Result("PingPongBenchmark.conduitChan", "", 950.5, 12.5, "ns/op"), results.get(0));
        assertEquals(0, results.get(1).error());
        assertTrue(Double.isNaN(results.get(0).bytes()), "a result without -prof gc has no bytes per op");
        assertEquals(52.66, results.get(1).bytes());
        assertEquals(0.04, results.get(1).bytesError());
        assertEquals("capacity=64", results.get(2).params());

        List<Path> pngs = BenchChart.render(results, dir.resolve("out"));
        assertEquals(2, pngs.size());
        for (Path p : pngs) {
            byte[] bytes = Files.readAllBytes(p);
            assertTrue(bytes.length > 1000, p + " is too small to be a chart");
            assertEquals((byte) 0x89, bytes[0]);
            assertEquals('P', bytes[1]);
        }
        String table = BenchChart.table(results);
        assertTrue(table.contains("| PingPongBenchmark.conduitChan |  | 950.5 | 12.5 | ns/op |  |"), table);
        assertTrue(table.contains("| PingPongBenchmark.kotlinxChannel |  | 900.0 | 0.0 | ns/op | 52.7 ± 0.040 |"), table);
    }

    @Test
    void writesBytesWithTheDigitsThatMatter() {
        assertEquals("656", BenchChart.bytes(656.1));
        assertEquals("25.5", BenchChart.bytes(25.47));
        assertEquals("0.0053", BenchChart.bytes(0.005257));
        assertEquals("0", BenchChart.bytes(0));
    }

    @Test
    void rejectsWhatIsNotAResultArray() throws Exception {
        Path json = dir.resolve("bad.json");
        Files.writeString(json, "{\"not\": \"an array\"}");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchChart.read(json));
        assertTrue(e.getMessage().endsWith("is not a JMH result array"));
    }
}
