package dev.conduit.java.internal

import dev.conduit.java.Go
import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.asCoroutineDispatcher

/**
 * Goroutine threads ([Go.executor]: virtual on JDK 21+) as a coroutine dispatcher, for running
 * Java code that may block from inside a coroutine without tying up a dispatcher's thread.
 */
internal object GoThreads {
    val dispatcher: CoroutineDispatcher = Go.executor().asCoroutineDispatcher()
}
