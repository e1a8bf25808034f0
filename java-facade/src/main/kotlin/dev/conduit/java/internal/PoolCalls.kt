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
import kotlin.time.toKotlinDuration
import dev.conduit.java.pool.Job as JavaJob

/**
 * The Java pool facade's bridge to the core pool: Java [JavaJob]s as core [Job]s, and the
 * core's suspending submit and shutdown as blocking calls ([Bridge.callBlocking]: an interrupt
 * cancels the call, which then submitted nothing more).
 */
internal object PoolCalls {
    /** The core job running [job]: on a goroutine thread if it may block, else inline on the worker. */
    @JvmStatic
    fun <T> coreJob(job: JavaJob<T>): Job<T> = JavaBackedJob(job)

    /** The Java job behind a core job this bridge made, or `null` for a core job made elsewhere. */
    @JvmStatic
    fun javaJob(job: Job<*>): JavaJob<*>? = (job as? JavaBackedJob<*>)?.java

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
}
