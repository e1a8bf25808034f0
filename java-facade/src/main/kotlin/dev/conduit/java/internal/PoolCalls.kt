package dev.conduit.java.internal

import dev.conduit.GoRuntime
import dev.conduit.context.Context
import dev.conduit.pool.Job
import dev.conduit.pool.JobHandle
import dev.conduit.pool.WorkerPool
import kotlinx.coroutines.CoroutineExceptionHandler
import kotlinx.coroutines.CoroutineScope
import kotlinx.coroutines.SupervisorJob
import kotlinx.coroutines.asCoroutineDispatcher
import java.util.concurrent.Executor
import kotlin.time.Duration
import kotlin.time.toJavaDuration
import kotlin.time.toKotlinDuration
import dev.conduit.java.pool.Job as JavaJob

/**
 * The Java pool facade's bridge to the core pool: Java [JavaJob]s as core [Job]s, and the
 * core's suspending submit and shutdown as blocking calls ([Bridge.callBlocking]: an interrupt
 * cancels the call, which then submitted nothing more).
 */
internal object PoolCalls {
    /**
     * The core job running [job]: on a goroutine thread if it may block, else inline on the
     * worker; the core job itself if [job] is [javaJob]'s view of one.
     */
    @JvmStatic
    fun <T> coreJob(job: JavaJob<T>): Job<T> = (job as? CoreBackedJob<T>)?.core ?: JavaBackedJob(job)

    /**
     * The Java job for a core job: the one behind a core job this bridge made, else a Java view
     * of a core job submitted from Kotlin, so that a Java caller is handed every job the pool
     * gives back (resubmitting the view submits the core job itself).
     */
    @JvmStatic
    fun <T> javaJob(job: Job<T>): JavaJob<T> = (job as? JavaBackedJob<T>)?.java ?: CoreBackedJob(job)

    /** A scope whose coroutines run on [executor], under a supervisor, their uncaught errors to [GoRuntime.report]. */
    @JvmStatic
    fun scopeOn(executor: Executor): CoroutineScope =
        CoroutineScope(SupervisorJob() + executor.asCoroutineDispatcher() + CoroutineExceptionHandler { _, e -> GoRuntime.report(e) })

    /** [WorkerPool.submit], blocking while the queue is full. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T> submit(pool: WorkerPool, job: Job<T>): JobHandle<T> = Bridge.callBlocking { pool.submit(job) }

    /** [WorkerPool.submitAll], blocking while the queue is full. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun <T> submitAll(pool: WorkerPool, jobs: List<Job<T>>): List<JobHandle<T>> = Bridge.callBlocking { pool.submitAll(jobs) }

    /** [WorkerPool.shutdown], blocking until it returns; an interrupt shuts the pool down at once. */
    @JvmStatic
    @Throws(InterruptedException::class)
    fun shutdown(pool: WorkerPool, ctx: Context): List<Job<*>> = Bridge.callBlocking { pool.shutdown(ctx) }

    private class JavaBackedJob<T>(val java: JavaJob<T>) : Job<T> {
        override val priority: Int = java.priority()
        override val timeout: Duration = java.timeout()?.toKotlinDuration() ?: Duration.INFINITE
        override val maxRetries: Int = java.maxRetries()
        override val requires: Set<String> = java.requires()
        private val blocking = java.blocking()

        init {
            require(timeout.isPositive()) { "timeout must be > 0, but was ${java.timeout()}" }
            require(maxRetries >= 0) { "maxRetries must be >= 0, but was $maxRetries" }
        }

        override suspend fun execute(ctx: Context): T = if (blocking) callOnGoThread { java.execute(ctx) } else java.execute(ctx)

        override fun toString(): String = java.toString()
    }

    /** A core job seen from Java: its settings, and an `execute` that runs it, blocking the caller. */
    private class CoreBackedJob<T>(val core: Job<T>) : JavaJob<T> {
        override fun execute(ctx: Context): T = Bridge.callBlocking { core.execute(ctx) }

        override fun priority(): Int = core.priority

        override fun timeout(): java.time.Duration? = if (core.timeout.isInfinite()) null else core.timeout.toJavaDuration()

        override fun maxRetries(): Int = core.maxRetries

        override fun requires(): Set<String> = core.requires

        override fun toString(): String = core.toString()
    }
}
