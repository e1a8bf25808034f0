package dev.conduit.pool

import dev.conduit.context.Context
import kotlin.time.Duration

/**
 * A unit of work for a [WorkerPool]: what it runs ([execute]) and how the pool treats it
 * ([priority], [timeout], [maxRetries], [requires]). Every property has a default, so an
 * implementation only writes [execute]; [Job] (the function) makes one from a lambda.
 *
 * The pool reads the properties once, at submit; they must not change afterwards.
 */
public interface Job<out T> {
    /**
     * The job's priority class, `0 until` [WorkerPoolConfig.priorities], higher first. A job at
     * or below [WorkerPoolConfig.shedPriority] is sheddable (see [WorkerPool]). Default 0.
     */
    public val priority: Int get() = 0

    /**
     * How long [execute] may run: past it the job is cancelled and its handle fails with
     * [JobTimeoutException]. [Duration.INFINITE] (the default) for no limit.
     */
    public val timeout: Duration get() = Duration.INFINITE

    /**
     * How many times the job may run again on another worker when its worker dies under it
     * (crashes, or hangs past [WorkerPoolConfig.stuckGrace]): its retry budget. An ordinary
     * failure (an exception from [execute]) is the job's result and is never retried. Default 0.
     */
    public val maxRetries: Int get() = 0

    /** Whether the job may run again after its worker died: `maxRetries > 0`. */
    public val retryable: Boolean get() = maxRetries > 0

    /**
     * The capabilities (tags) a worker must declare ([WorkerProfile.tags]) to run this job;
     * empty (the default) for any worker.
     */
    public val requires: Set<String> get() = emptySet()

    /**
     * Does the work. [ctx] carries the job's deadline when it has a [timeout] (and is done
     * when the timeout passes); the coroutine is cancelled when the job is cancelled or times
     * out. Suspends as the work does; what it throws fails the job's handle.
     */
    public suspend fun execute(ctx: Context): T
}

/**
 * A [Job] that runs [block], with the given [priority], [timeout], [maxRetries] and required
 * capabilities ([requires]). Never blocks.
 *
 * ```
 * val handle = pool.submit(Job(priority = 2, timeout = 5.seconds) { ctx -> resize(ctx, image) })
 * ```
 *
 * @throws IllegalArgumentException if [priority] or [maxRetries] is negative, or [timeout]
 *   is not positive (the priority's upper bound is the pool's, checked at submit).
 */
public fun <T> Job(
    priority: Int = 0,
    timeout: Duration = Duration.INFINITE,
    maxRetries: Int = 0,
    requires: Set<String> = emptySet(),
    block: suspend (ctx: Context) -> T,
): Job<T> {
    require(priority >= 0) { "priority must be >= 0, but was $priority" }
    require(timeout.isPositive()) { "timeout must be > 0, but was $timeout" }
    require(maxRetries >= 0) { "maxRetries must be >= 0, but was $maxRetries" }
    return LambdaJob(priority, timeout, maxRetries, requires.toSet(), block)
}

private class LambdaJob<T>(
    override val priority: Int,
    override val timeout: Duration,
    override val maxRetries: Int,
    override val requires: Set<String>,
    private val block: suspend (ctx: Context) -> T,
) : Job<T> {
    override suspend fun execute(ctx: Context): T = block(ctx)

    override fun toString(): String = "Job(priority=$priority, timeout=$timeout, maxRetries=$maxRetries, requires=$requires)"
}

/**
 * A job the pool refused or dropped without running it; [reason] says why. Thrown by
 * [WorkerPool.submit] and its kin at the call, or the failure of a handle whose job never ran
 * (shed in a [WorkerPool.submitAll] batch, or left queued by a shutdown).
 */
public class JobRejectedException(
    /** Why the job was refused. */
    public val reason: Reason,
    message: String,
) : IllegalStateException(message) {
    /** Why a job was refused. */
    public enum class Reason {
        /** A sheddable job arrived while the queue was above [WorkerPoolConfig.shedThreshold]. */
        SHED,

        /** No worker profile declares every capability the job requires. */
        NO_CAPABLE_WORKER,

        /** The pool was shutting down or shut down: the job was not accepted, or never ran. */
        SHUTDOWN,
    }
}

/** The failure of a job that ran past its [Job.timeout] and was cancelled. */
public class JobTimeoutException(message: String, cause: Throwable?) : RuntimeException(message, cause)

/**
 * The failure of a job whose worker died under it (the job threw an `Error`, taken as the
 * worker crashing, or ignored cancellation past [WorkerPoolConfig.stuckGrace]) once its retry
 * budget ([Job.maxRetries]) was spent. [cause] is the `Error`, or `null` for a hang.
 */
public class WorkerLostException(message: String, cause: Throwable?) : RuntimeException(message, cause)
