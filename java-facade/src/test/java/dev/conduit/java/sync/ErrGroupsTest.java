package dev.conduit.java.sync;

import dev.conduit.java.chan.Channel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.java.context.Contexts;
import dev.conduit.sync.ErrGroup;
import dev.conduit.sync.ErrGroupException;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(60)
class ErrGroupsTest {
    @Test
    void failFastInterruptsBlockedSiblingsAndRethrows() throws Exception {
        ErrGroup group = new ErrGroup(Contexts.background(), false);
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            ErrGroups.go(group, "blocked " + i, ctx -> {
                started.countDown();
                try {
                    Channel.create().receive();
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet();
                    throw e;
                }
            });
        }
        ErrGroups.go(group, "fails", ctx -> {
            started.await(); // fail only once every sibling is running, so each one is interrupted
            throw new IOException("no route to host");
        });
        IOException e = assertThrows(IOException.class, () -> ErrGroups.await(group));
        assertEquals("no route to host", e.getMessage());
        assertEquals(3, interrupted.get());
    }

    @Test
    void collectAllReportsEveryFailureAndKeepsEveryResult() throws Exception {
        ErrGroup group = new ErrGroup(Contexts.background(), true);
        ConcurrentHashMap<String, Integer> lengths = new ConcurrentHashMap<>();
        for (String word : List.of("alpha", "", "gamma", "", "epsilon")) {
            ErrGroups.go(group, "word '" + word + "'", ctx -> {
                if (word.isEmpty()) throw new IllegalArgumentException("empty word");
                lengths.put(word, word.length());
            });
        }
        ErrGroupException e = assertThrows(ErrGroupException.class, () -> ErrGroups.await(group));
        assertEquals(2, e.getFailures().size());
        assertInstanceOf(IllegalArgumentException.class, e.getFailures().get(0).getError());
        assertEquals(3, lengths.size());
    }

    @Test
    void limitAndTryGo() throws Exception {
        ErrGroup group = new ErrGroup();
        group.setLimit(1);
        CountDownLatch release = new CountDownLatch(1);
        assertTrue(ErrGroups.tryGo(group, "holder", ctx -> release.await(10, TimeUnit.SECONDS)));
        assertFalse(ErrGroups.tryGo(group, "second", ctx -> {}));
        release.countDown();
        ErrGroups.go(group, ctx -> {});
        ErrGroups.await(group);
    }
}
