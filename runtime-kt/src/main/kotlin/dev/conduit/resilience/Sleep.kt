package dev.conduit.resilience

import dev.conduit.Stoppable
import dev.conduit.context.Context
import dev.conduit.context.contextDone
import dev.conduit.context.onDone
import kotlinx.coroutines.suspendCancellableCoroutine
import java.util.concurrent.atomic.AtomicBoolean
import kotlin.coroutines.resume
import kotlin.time.Duration

/**
 * Suspends for [delay] on this context's [Context.clock] (virtual time in tests), or until the
 * context is done, whichever is first; the timer and the context registration are released
 * either way, and on cancellation.
 *
 * @throws dev.conduit.context.ContextException [Context.err] if the context is or becomes done first.
 * @throws kotlinx.coroutines.CancellationException if the coroutine is cancelled.
 */
internal suspend fun Context.sleep(delay: Duration) {
    err?.let { contextDone(it) }
    if (delay > Duration.ZERO) {
        var timer: Stoppable? = null
        var registration: Stoppable? = null
        try {
            suspendCancellableCoroutine { cont ->
                val woken = AtomicBoolean()
                val wake = Runnable { if (woken.compareAndSet(false, true)) cont.resume(Unit) }
                timer = clock.schedule(delay.inWholeNanoseconds, wake)
                registration = onDone { _, _, _ -> wake.run() }
            }
        } finally {
            timer?.stop()
            registration?.stop()
        }
    }
    err?.let { contextDone(it) }
}
