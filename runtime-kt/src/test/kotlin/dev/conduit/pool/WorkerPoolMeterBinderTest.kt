package dev.conduit.pool

import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.shouldBe
import io.micrometer.core.instrument.simple.SimpleMeterRegistry
import kotlinx.coroutines.delay
import kotlinx.coroutines.test.runTest

class WorkerPoolMeterBinderTest : FunSpec({
    test("the binder publishes the pool's counters, gauges and quantiles, read at each scrape") {
        runTest {
            val pool = pool { minWorkers(1).maxWorkers(1).name("images") }
            val registry = SimpleMeterRegistry()
            WorkerPoolMeterBinder(pool).bindTo(registry)
            pool.submit(Job { delay(100) }).await()
            shouldThrow<IllegalStateException> { pool.submit(Job { error("x") }).await() }
            fun jobs(outcome: String) = registry.get("conduit.pool.jobs").tag("pool", "images").tag("outcome", outcome).functionCounter().count()
            jobs("submitted") shouldBe 2.0
            jobs("completed") shouldBe 1.0
            jobs("failed") shouldBe 1.0
            jobs("shed") shouldBe 0.0
            registry.get("conduit.pool.queued").tag("priority", "2").gauge().value() shouldBe 0.0
            registry.get("conduit.pool.workers").tag("health", "healthy").gauge().value() shouldBe 1.0
            registry.get("conduit.pool.run.time").tag("quantile", "0.99").gauge().value() shouldBe ((1L shl 27) - 1) / 1e9
        }
    }
})
