package dev.conduit.java.pool

import dev.conduit.context.Context
import dev.conduit.pool.WorkerPoolConfig
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import org.junit.jupiter.api.Assertions.assertEquals
import org.junit.jupiter.api.Assertions.assertNull
import org.junit.jupiter.api.Assertions.assertSame
import org.junit.jupiter.api.Test
import java.util.concurrent.TimeUnit
import kotlin.time.Duration.Companion.seconds
import dev.conduit.pool.Job as CoreJob

/**
 * A pool made through the Java facade takes jobs from Kotlin too (on [WorkerPool.unwrap]); its
 * Java shutdown hands back every job that never ran, the Kotlin ones as Java views of them.
 */
class SharedPoolTest {
    @Test
    fun javaShutdownReturnsTheJobsSubmittedFromKotlinAsViewsThatRunThem() = runBlocking {
        val pool = WorkerPool.create(WorkerPoolConfig.builder().minWorkers(1).maxWorkers(1).priorities(3).build())
        val gate = CompletableDeferred<Unit>()
        val started = CompletableDeferred<Unit>()
        pool.unwrap().trySubmit(CoreJob { started.complete(Unit); gate.await() })!!
        withTimeout(10.seconds) { started.await() }
        val kotlinJob = CoreJob(priority = 2, maxRetries = 1, requires = emptySet()) { _: Context -> "ran from Kotlin" }
        val javaJob = Job<String> { "ran from Java" }
        pool.unwrap().trySubmit(kotlinJob)!!
        pool.trySubmit(javaJob).orElseThrow()

        val never = pool.shutdownNow()
        gate.complete(Unit)

        assertEquals(2, never.size, "both queued jobs, the Kotlin one included: $never")
        val view = never.single { it !== javaJob }
        assertEquals(2, view.priority())
        assertEquals(1, view.maxRetries())
        assertNull(view.timeout(), "no timeout")
        assertEquals("ran from Kotlin", view.execute(Context.background()), "the view runs the Kotlin job")
        val again = WorkerPool.create()
        try {
            assertEquals("ran from Kotlin", again.submit(view).get(10, TimeUnit.SECONDS), "resubmitted, it runs the Kotlin job")
            assertSame(javaJob, never.single { it === javaJob })
        } finally {
            again.shutdownNow()
        }
    }
}
