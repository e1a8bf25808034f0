package dev.conduit.samples;

import dev.conduit.java.Go;
import dev.conduit.java.sync.Mutex;
import dev.conduit.java.sync.WaitGroup;
import dev.conduit.sync.LockOrder;
import dev.conduit.sync.LockOrderViolation;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A deadlock found before it happens: with the lock-order checker on, a transfer takes
 * {@code accounts} then {@code audit}, and a report later takes them the other way round. The
 * run does not deadlock (they never overlap), but the checker reports the inversion that could.
 * The fix, {@code Mutex.lockAll}, takes any set in one global order.
 */
public final class LockOrdering implements Sample {
    @Override
    public String title() {
        return "a lock-order inversion caught on a run that did not deadlock, and lockAll";
    }

    @Override
    public void run(PrintStream out) throws Exception {
        List<LockOrderViolation> found = Collections.synchronizedList(new ArrayList<>());
        LockOrder.enable(found::add);
        try {
            Mutex accounts = Mutex.create("accounts");
            Mutex audit = Mutex.create("audit");
            Go.go(() -> accounts.withLock(() -> audit.withLock(() -> {}))).join();
            Go.go(() -> audit.withLock(() -> accounts.withLock(() -> {}))).join();
            for (LockOrderViolation v : found) {
                out.println("reported: " + String.join(" -> ", v.getCycle()) + " -> back: each order alone is fine, both can deadlock");
                for (LockOrderViolation.Witness w : v.getWitnesses()) out.println("  locked " + w.getTo() + " while holding " + w.getFrom());
            }
            found.clear();
            WaitGroup wg = WaitGroup.create();
            int[] moves = {0};
            for (int g = 0; g < 4; g++) {
                Mutex[] set = g % 2 == 0 ? new Mutex[] {accounts, audit} : new Mutex[] {audit, accounts};
                wg.go(() -> {
                    for (int i = 0; i < 500; i++) {
                        Mutex.lockAll(set);
                        moves[0]++;
                        Mutex.unlockAll(set);
                    }
                });
            }
            wg.await();
            out.println("lockAll from 4 goroutines in both argument orders: " + moves[0] + " moves, " + found.size() + " reports");
        } finally {
            LockOrder.disable();
        }
    }

    public static void main(String[] args) throws Exception {
        new LockOrdering().run(System.out);
    }
}
