package dev.conduit.java.sync

import dev.conduit.java.Go
import dev.conduit.java.internal.Bridge
import dev.conduit.sync.WaitGroup
import java.util.concurrent.CompletableFuture

/**
 * Blocking waits and Java goroutines for a [WaitGroup]. The group itself is made and used as it
 * is: `new WaitGroup()`, `wg.add(1)`, `wg.done()`.
 */
public object WaitGroups {
    /**
     * Blocks until the group's count is zero.
     *
     * @throws InterruptedException if interrupted first
     */
    @JvmStatic
    @Throws(InterruptedException::class)
    public fun await(wg: WaitGroup) {
        Bridge.callBlocking { wg.wait() }
    }

    /** A future that completes when the group's count is zero. Cancelling it only stops waiting. */
    @JvmStatic
    public fun awaitAsync(wg: WaitGroup): CompletableFuture<Void?> = Bridge.call { wg.wait(); null }

    /**
     * Counts a task in, runs it with [Go.go], and counts it out when it ends, however it ends.
     * Never blocks.
     */
    @JvmStatic
    public fun go(wg: WaitGroup, task: Go.Task) {
        wg.add(1)
        Go.go {
            try {
                task.run()
            } finally {
                wg.done()
            }
        }
    }
}
