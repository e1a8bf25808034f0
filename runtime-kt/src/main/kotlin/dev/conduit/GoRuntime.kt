package dev.conduit

import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.SupervisorJob
import java.util.function.Consumer

/**
 * The runtime scope that [go] launches goroutines in: [Dispatchers.Default], a supervisor job
 * (a crash in one goroutine does not cancel the others) and an exception handler that passes
 * every uncaught exception to [setUncaughtExceptionHandler]'s handler, never swallowing it.
 */
public object GoRuntime {
    private val defaultHandler = Consumer<Throwable> { e ->
        System.err.println("conduit: uncaught exception in a goroutine")
        e.printStackTrace()
    }

    @Volatile
    private var handler: Consumer<Throwable> = defaultHandler

    /** The scope goroutines run in. Its job is never cancelled by the runtime. */
    @JvmStatic
    public val scope: CoroutineScope = CoroutineScope(
        SupervisorJob() + Dispatchers.Default + CoroutineName("go") +
            CoroutineExceptionHandler { _, e -> report(e) },
    )

    /**
     * Sets what receives exceptions that escape a goroutine; `null` restores the default,
     * which prints the stack trace to standard error. Cancellation is not an error and is not
     * reported.
     */
    @JvmStatic
    public fun setUncaughtExceptionHandler(handler: Consumer<Throwable>?) {
        this.handler = handler ?: defaultHandler
    }

    /** Passes [e] to the current handler; a failing handler falls back to the default one. */
    @JvmStatic
    public fun report(e: Throwable) {
        try {
            handler.accept(e)
        } catch (inHandler: Throwable) {
            inHandler.addSuppressed(e)
            defaultHandler.accept(inHandler)
        }
    }
}
