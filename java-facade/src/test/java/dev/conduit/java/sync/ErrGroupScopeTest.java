package dev.conduit.java.sync;

import static dev.conduit.java.sync.BadInputs.row;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.conduit.context.Context;
import dev.conduit.java.chan.Interrupting;
import dev.conduit.sync.Subtask;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** ErrGroup as a try-with-resources scope whose tasks return values (StructuredTaskScope's shape). */
@Timeout(60)
class ErrGroupScopeTest {
    @Test
    void forkedTasksHandBackTheirValuesAfterAwait() throws Exception {
        List<Subtask<Integer>> squares = new ArrayList<>();
        try (ErrGroup scope = ErrGroup.create(Context.background())) {
            for (int i = 1; i <= 4; i++) {
                int n = i;
                squares.add(scope.fork("square " + n, ctx -> n * n));
            }
            Subtask<String> none = scope.fork(ctx -> null);
            scope.await();
            assertEquals(Subtask.State.SUCCEEDED, none.getState());
            assertNull(none.get(), "null is a value");
        }
        List<Integer> values = new ArrayList<>();
        for (Subtask<Integer> s : squares) values.add(s.get());
        assertEquals(List.of(1, 4, 9, 16), values);
        assertEquals("square 3", squares.get(2).getName());
    }

    @Test
    void aFailureCancelsTheSiblingsAndTheirSubtasksSaySo() throws Exception {
        try (ErrGroup scope = ErrGroup.create()) {
            Interrupting.Blocker blocker = new Interrupting.Blocker();
            Subtask<Object> slow = scope.fork("slow", ctx -> {
                blocker.run();
                return "never";
            });
            assertTrue(blocker.started());
            IOException boom = new IOException("down");
            Subtask<Object> failing = scope.fork("fetch", ctx -> {
                throw boom;
            });
            TaskFailedException e = assertThrows(TaskFailedException.class, scope::await);
            assertSame(boom, e.getCause());
            assertEquals(Subtask.State.FAILED, failing.getState());
            assertSame(boom, failing.exception());
            assertEquals(Subtask.State.CANCELLED, slow.getState());
            IllegalStateException noValue = assertThrows(IllegalStateException.class, slow::get);
            assertEquals("task 'slow' is cancelled, not succeeded", noValue.getMessage());
        }
    }

    @Test
    void leavingTheBlockEarlyCancelsEveryTaskAndWaitsForIt() throws Exception {
        Interrupting.Blocker a = new Interrupting.Blocker();
        Interrupting.Blocker b = new Interrupting.Blocker();
        List<Subtask<Object>> tasks = new ArrayList<>();
        IllegalArgumentException bodyFailure = new IllegalArgumentException("bad page");
        IllegalArgumentException thrown = assertThrows(IllegalArgumentException.class, () -> {
            try (ErrGroup scope = ErrGroup.create()) {
                for (Interrupting.Blocker blocker : List.of(a, b)) {
                    tasks.add(scope.fork(ctx -> {
                        blocker.run();
                        return null;
                    }));
                }
                assertTrue(a.started() && b.started());
                throw bodyFailure;
            }
        });
        assertSame(bodyFailure, thrown, "the body's exception is the one that leaves the block");
        assertTrue(a.interrupted() && b.interrupted(), "close interrupted both tasks");
        for (Subtask<Object> t : tasks) {
            assertEquals(Subtask.State.CANCELLED, t.getState(), "close returned only after every task had ended");
        }
        assertEquals(1, thrown.getSuppressed().length, "close reports that the tasks were never awaited");
        assertTrue(thrown.getSuppressed()[0] instanceof IllegalStateException);
    }

    @Test
    void closeWithoutAwaitThrowsAndKeepsTheFailures() throws Exception {
        ErrGroup scope = ErrGroup.collectAll();
        UncheckedIOException boom = new UncheckedIOException(new IOException("lost?"));
        Subtask<Object> failing = scope.fork("f", ctx -> {
            throw boom;
        });
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (failing.getState() == Subtask.State.RUNNING) {
            assertTrue(System.nanoTime() < deadline, "the task never ended");
            Thread.onSpinWait();
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, scope::close);
        assertEquals("ErrGroup closed before await(): its tasks were cancelled and their outcome was never reported", e.getMessage());
        assertEquals(List.of(boom), List.of(e.getSuppressed()), "the unreported failure is attached, not dropped");
    }

    @Test
    void closeAfterAwaitReturnsAtOnceAndTheGroupCanRunAgain() throws Exception {
        ErrGroup scope = ErrGroup.create();
        Subtask<String> first = scope.fork(ctx -> "one");
        scope.await();
        scope.close();
        scope.close(); // idempotent
        assertEquals("one", first.get());
        Subtask<String> again = scope.fork(ctx -> "two");
        scope.await();
        assertEquals("two", again.get());
        ErrGroup.create().close(); // never used: nothing to report
    }

    @Test
    void anInterruptDoesNotCutCloseShortAndIsKept() throws Exception {
        ErrGroup scope = ErrGroup.create();
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        // A task that ignores interrupts until released: close must still wait for it.
        Subtask<String> stubborn = scope.fork(ctx -> {
            started.countDown();
            boolean interrupted = false;
            while (true) {
                try {
                    release.await();
                    break;
                } catch (InterruptedException ignored) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
            return "finished";
        });
        assertTrue(started.await(10, TimeUnit.SECONDS));
        Interrupting.Call closing = Interrupting.start(() -> {
            try {
                scope.close();
            } catch (IllegalStateException expected) {
                // never awaited: reported
            }
            if (!Thread.currentThread().isInterrupted()) throw new AssertionError("the interrupt was not kept");
        });
        Interrupting.awaitBlocked(closing.thread());
        closing.thread().interrupt();
        Interrupting.awaitBlocked(closing.thread());
        assertFalse(closing.outcome().isDone(), "close still waits for the stubborn task after the interrupt");
        release.countDown();
        assertNull(closing.result(), "close returned with the interrupt status set");
        assertEquals(Subtask.State.CANCELLED, stubborn.getState(),
                "a task that returns after its group was cancelled has no value (StructuredTaskScope's rule too)");
    }

    @Test
    void tryForkStartsOnlyWhileASlotIsFree() throws Exception {
        try (ErrGroup scope = ErrGroup.create()) {
            scope.setLimit(1);
            CountDownLatch release = new CountDownLatch(1);
            Optional<Subtask<String>> first = scope.tryFork("first", ctx -> {
                release.await();
                return "done";
            });
            assertTrue(first.isPresent());
            assertTrue(scope.tryFork(ctx -> "never").isEmpty(), "the one slot is taken");
            release.countDown();
            scope.await();
            assertEquals("done", first.get().get());
        }
    }

    @Test
    void badInputs() {
        ErrGroup group = ErrGroup.create();
        BadInputs.check(
                row("fork(null)", NullPointerException.class, "task", () -> group.fork(null)),
                row("fork(null name, task)", NullPointerException.class, "name", () -> group.fork(null, ctx -> 1)),
                row("fork(name, null)", NullPointerException.class, "task", () -> group.fork("n", null)),
                row("tryFork(null)", NullPointerException.class, "task", () -> group.tryFork(null)),
                row("tryFork(null name, task)", NullPointerException.class, "name", () -> group.tryFork(null, ctx -> 1)),
                row("tryFork(name, null)", NullPointerException.class, "task", () -> group.tryFork("n", null)));
        group.close();
    }
}
