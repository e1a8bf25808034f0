package dev.conduit.java.internal

import dev.conduit.java.Go
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher
import kotlinx.coroutines.runInterruptible

/**
 * Goroutine threads ([Go.executor]: virtual on JDK 21+) as a coroutine dispatcher, for running
 * Java code that may block from inside a coroutine without tying up a dispatcher's thread.
 */
internal object GoThreads {
    val dispatcher: CoroutineDispatcher = Go.executor().asCoroutineDispatcher()
}

/**
 * Runs Java code that may block on a goroutine thread, interrupted on cancellation. What it
 * throws comes out as it was thrown: not the copy kotlinx's stack-trace recovery (debug mode, as
 * under `-ea`) makes where an exception leaves the goroutine thread's `withContext`. An interrupt
 * that stopped it for cancellation stays the [kotlinx.coroutines.CancellationException]
 * `runInterruptible` makes of it.
 */
internal suspend fun <R> callOnGoThread(block: () -> R): R {
    var thrown: Throwable? = null
    try {
        return runInterruptible(GoThreads.dispatcher) {
            try {
                block()
            } catch (e: Throwable) {
                thrown = e
                throw e
            }
        }
    } catch (e: Throwable) {
        val original = thrown
        throw if (original != null && e !is kotlinx.coroutines.CancellationException) original else e
    }
}
