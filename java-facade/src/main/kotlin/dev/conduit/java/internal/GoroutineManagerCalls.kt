package dev.conduit.java.internal

import dev.conduit.context.Context
import dev.conduit.java.supervisor.Cleanup
import dev.conduit.supervisor.GoroutineManager
import dev.conduit.supervisor.GoroutineManagerReport
import dev.conduit.supervisor.ManagedGoroutine
import dev.conduit.supervisor.ManagedGoroutineScope
import java.util.concurrent.CompletableFuture
import kotlin.time.Duration
import kotlin.time.Duration.Companion.nanoseconds
import dev.conduit.java.supervisor.GoroutineManager as JavaGoroutineManager
import dev.conduit.java.supervisor.ManagedGoroutine as JavaManagedGoroutine

/**
 * The Java goroutine manager's bridge to the core one: Java tasks and cleanups as suspend
 * blocks that run on goroutine threads ([callOnGoThread]: cancelling the coroutine, as the
 * manager's force-cancel does, interrupts the thread), and the core's suspending calls as
 * blocking ones ([Bridge.callBlocking]: an interrupt withdraws the call) or futures
 * ([Bridge.call]: cancelling one withdraws the call).
 */
internal object GoroutineManagerCalls {
    private fun block(task: JavaGoroutineManager.Task): suspend ManagedGoroutineScope.(Context) -> Unit =
        { callOnGoThread { task.run(JavaManagedGoroutine.wrap(goroutine)) } }

    private fun cleanup(c: Cleanup): suspend () -> Unit = { callOnGoThread { c.run() } }

    /** A facade duration as the core's; one too long for nanoseconds is infinite. */
    private fun duration(nanos: Long): Duration = if (nanos == Long.MAX_VALUE) Duration.INFINITE else nanos.nanoseconds

    /** [GoroutineManager.go], blocking while every slot is taken. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun go(m: GoroutineManager, name: String, labels: Map<String, String>, task: JavaGoroutineManager.Task): ManagedGoroutine =
        Bridge.callBlocking { m.go(name, labels, block(task)) }

    /** [GoroutineManager.go] as a future; cancelling it withdraws the wait for a slot. */
    @JvmStatic
    fun goAsync(m: GoroutineManager, name: String, labels: Map<String, String>, task: JavaGoroutineManager.Task): CompletableFuture<ManagedGoroutine> =
        Bridge.call { m.go(name, labels, block(task)) }

    /** [GoroutineManager.tryGo]. Never blocks. */
    @JvmStatic
    fun tryGo(m: GoroutineManager, name: String, labels: Map<String, String>, task: JavaGoroutineManager.Task): ManagedGoroutine? =
        m.tryGo(name, labels, block(task))

    /** [GoroutineManager.defer] of a Java cleanup. */
    @JvmStatic
    fun defer(m: GoroutineManager, c: Cleanup) {
        m.defer(cleanup(c))
    }

    /** [ManagedGoroutine.defer] of a Java cleanup. */
    @JvmStatic
    fun defer(g: ManagedGoroutine, c: Cleanup) {
        g.defer(cleanup(c))
    }

    /** [GoroutineManager.wait], blocking. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun await(m: GoroutineManager) {
        Bridge.callBlocking { m.wait() }
    }

    /** [GoroutineManager.wait] as a future. */
    @JvmStatic
    fun awaitAsync(m: GoroutineManager): CompletableFuture<Void?> = Bridge.call { m.wait(); null }

    /** [GoroutineManager.shutdown] with a timeout, blocking; an interrupt cuts it short. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun shutdown(m: GoroutineManager, graceNanos: Long, timeoutNanos: Long): GoroutineManagerReport =
        Bridge.callBlocking { m.shutdown(duration(graceNanos), duration(timeoutNanos)) }

    /** [GoroutineManager.shutdown] until [ctx] is done, blocking; an interrupt cuts it short. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun shutdown(m: GoroutineManager, ctx: Context, graceNanos: Long): GoroutineManagerReport =
        Bridge.callBlocking { m.shutdown(ctx, duration(graceNanos)) }

    /** [GoroutineManager.shutdown] with a timeout, as a future; cancelling it cuts the shutdown short. */
    @JvmStatic
    fun shutdownAsync(m: GoroutineManager, graceNanos: Long, timeoutNanos: Long): CompletableFuture<GoroutineManagerReport> =
        Bridge.call { m.shutdown(duration(graceNanos), duration(timeoutNanos)) }

    /** [ManagedGoroutine.join], blocking. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun join(g: ManagedGoroutine) {
        Bridge.callBlocking { g.join() }
    }
}
