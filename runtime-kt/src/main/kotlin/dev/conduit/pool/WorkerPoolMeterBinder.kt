package dev.conduit.pool

import io.micrometer.core.instrument.FunctionCounter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tag
import io.micrometer.core.instrument.binder.MeterBinder

/**
 * Publishes a [WorkerPool]'s [PoolMetrics] to Micrometer, tagged `pool=<name>`: function
 * counters `conduit.pool.jobs` (tag `outcome`: submitted, completed, failed, cancelled,
 * rejected, shed, retried, timed_out), gauges `conduit.pool.running`, `conduit.pool.queued`
 * (tag `priority`), `conduit.pool.workers` (tag `health`), and `conduit.pool.queue.wait` and
 * `conduit.pool.run.time` in seconds (tag `quantile`: 0.5, 0.99). Each reading takes a
 * snapshot; nothing is recorded on the pool's hot path.
 *
 * Micrometer is an optional dependency of the core: only this class needs it, and the pool
 * works without it on the class path.
 */
public class WorkerPoolMeterBinder(private val pool: WorkerPool) : MeterBinder {
    /** Registers the pool's meters in [registry]. Never blocks. */
    override fun bindTo(registry: MeterRegistry) {
        val pool = Tag.of("pool", pool.config.name)
        val outcomes = listOf<Pair<String, (PoolMetrics) -> Long>>(
            "submitted" to { it.submitted }, "completed" to { it.completed }, "failed" to { it.failed },
            "cancelled" to { it.cancelled }, "rejected" to { it.rejected }, "shed" to { it.shed },
            "retried" to { it.retried }, "timed_out" to { it.timedOut },
        )
        for ((name, read) in outcomes) {
            FunctionCounter.builder("conduit.pool.jobs", this.pool) { read(it.metrics()).toDouble() }
                .tags(listOf(pool, Tag.of("outcome", name))).description("jobs by outcome").register(registry)
        }
        gauge(registry, "conduit.pool.running", listOf(pool)) { it.running.toDouble() }
        for (p in 0 until this.pool.config.priorities) {
            gauge(registry, "conduit.pool.queued", listOf(pool, Tag.of("priority", p.toString()))) { it.queuedByPriority[p].toDouble() }
        }
        for (h in WorkerHealth.entries) {
            gauge(registry, "conduit.pool.workers", listOf(pool, Tag.of("health", h.name.lowercase()))) { (it.workersByHealth[h] ?: 0).toDouble() }
        }
        val quantiles = listOf<Triple<String, String, (PoolMetrics) -> Long>>(
            Triple("conduit.pool.queue.wait", "0.5") { it.queueWaitP50Nanos }, Triple("conduit.pool.queue.wait", "0.99") { it.queueWaitP99Nanos },
            Triple("conduit.pool.run.time", "0.5") { it.runTimeP50Nanos }, Triple("conduit.pool.run.time", "0.99") { it.runTimeP99Nanos },
        )
        for ((name, q, read) in quantiles) {
            gauge(registry, name, listOf(pool, Tag.of("quantile", q))) { read(it) / 1e9 }
        }
    }

    private fun gauge(registry: MeterRegistry, name: String, tags: List<Tag>, read: (PoolMetrics) -> Double) {
        Gauge.builder(name, pool) { read(it.metrics()) }.tags(tags).register(registry)
    }
}
