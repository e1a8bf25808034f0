package dev.conduit.java.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.pipeline.Scaling;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class StageConfigTest {
    private static final Scaling TWO_TO_SIX = Scaling.of(2, 6, Duration.ofMillis(10));

    @Test
    void defaultsAreOneOrderedWorkerWithAnUnbufferedOutput() {
        StageConfig d = StageConfig.defaults();
        assertEquals(1, d.workers());
        assertTrue(d.ordered());
        assertEquals(0, d.capacity());
        assertNull(d.scaling());
        assertEquals(d, StageConfig.builder().build());
        assertSame(d, StageConfig.defaults());
    }

    @Test
    void everySetterIsKeptAndTheConfigIsAValue() {
        StageConfig c = StageConfig.builder().workers(4).ordered(false).capacity(16).build();
        assertEquals(4, c.workers());
        assertFalse(c.ordered());
        assertEquals(16, c.capacity());
        assertEquals(c, StageConfig.builder().workers(4).ordered(false).capacity(16).build());
        assertEquals(c.hashCode(), StageConfig.builder().workers(4).ordered(false).capacity(16).build().hashCode());
        assertNotEquals(c, StageConfig.defaults());
        assertEquals("StageConfig(workers=4, ordered=false, capacity=16, scaling=null)", c.toString());
    }

    @Test
    void aBuilderFromABaseMakesAChangedCopyAndLeavesTheBase() {
        StageConfig base = StageConfig.builder().workers(4).capacity(8).build();
        StageConfig changed = StageConfig.builder(base).workers(2).build();
        assertEquals(2, changed.workers());
        assertEquals(8, changed.capacity());
        assertEquals(4, base.workers());
    }

    @Test
    void scalingStartsAtItsMinimumUnlessWorkersAreSetWithinItsBounds() {
        assertEquals(2, StageConfig.builder().scaling(TWO_TO_SIX).build().workers());
        assertEquals(5, StageConfig.builder().scaling(TWO_TO_SIX).workers(5).build().workers());
        StageConfig scaled = StageConfig.builder().scaling(TWO_TO_SIX).build();
        assertSame(TWO_TO_SIX, scaled.scaling());
        Scaling other = Scaling.of(3, 4, Duration.ofMillis(10));
        assertEquals(3, StageConfig.builder(scaled).scaling(other).build().workers(), "a copy still starts at the new minimum");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> StageConfig.builder().workers(7).scaling(TWO_TO_SIX).build());
        assertEquals("workers must be in 2..6 (the scaling bounds), but was 7", e.getMessage());
    }

    @Test
    void javaReadsTheScalingIntervalAsAJavaDuration() {
        assertEquals(Duration.ofMillis(10), TWO_TO_SIX.getInterval());
    }
}
