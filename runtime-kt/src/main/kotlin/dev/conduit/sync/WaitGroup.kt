package dev.conduit.sync

import dev.conduit.chan.Chan
import dev.conduit.chan.spi.BlockedWaits
import dev.conduit.chan.spi.ChannelSource
import dev.conduit.chan.spi.WaitPurpose
import dev.conduit.chan.spi.diagnosticName
import dev.conduit.context.Context
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Job

/**
 * Go's `sync.WaitGroup`: waits for a collection of tasks to finish. [add] counts tasks in,
 * [done] counts one out, [wait] suspends until the count is zero.
 *
 * ```
 * val wg = WaitGroup()
 * repeat(3) { i -> wg.go { work(i) } }
 * wg.wait()
 * ```
 *
 * Thread-safe. [add] and [done] never block; [wait] suspends.
 */
public class WaitGroup {
    private val lock = Any()
    private var counter = 0L

    /** Closed when the count returns to zero; made when the first waiter needs it. */
    private var zero: Chan<Unit>? = null

    /** The current count. Never blocks. */
    public val count: Long get() = synchronized(lock) { counter }

    /**
     * Adds [delta] (which may be negative) to the count; at zero every waiter is released.
     * Never blocks.
     *
     * @throws IllegalStateException if the count would go negative; the count is unchanged.
     */
    public fun add(delta: Int) {
        val released: Chan<Unit>?
        synchronized(lock) {
            val next = counter + delta
            check(next >= 0) { "negative WaitGroup counter: $counter + ($delta)" }
            counter = next
            if (next != 0L) return
            released = zero
            zero = null
        }
        released?.close()
    }

    /**
     * Counts one task out: `add(-1)`. Never blocks.
     *
     * @throws IllegalStateException if the count is already zero.
     */
    public fun done(): Unit = add(-1)

    /**
     * Suspends until the count is zero; returns at once if it is. Cancellable.
     */
    public suspend fun wait() {
        val z = synchronized(lock) {
            if (counter == 0L) return
            zero ?: Chan<Unit>().also {
                zero = it
                if (BlockedWaits.ON) BlockedWaits.name(it as ChannelSource, WaitPurpose("", "wait on " + diagnosticName("WaitGroup", this)))
            }
        }
        z.receiveOk()
    }

    /**
     * Counts a task in, runs [block] as a goroutine under [ctx], and counts it out when it
     * ends, however it ends (Go 1.25's `WaitGroup.Go`). Never blocks.
     */
    public fun go(ctx: Context = Context.background(), block: suspend CoroutineScope.() -> Unit): Job {
        add(1)
        return dev.conduit.go(ctx) {
            try {
                block()
            } finally {
                done()
            }
        }
    }

    override fun toString(): String = "WaitGroup(count=$count)"
}
