package dev.conduit.resilience

import io.micrometer.core.instrument.FunctionCounter
import io.micrometer.core.instrument.Gauge
import io.micrometer.core.instrument.MeterRegistry
import io.micrometer.core.instrument.Tags
import io.micrometer.core.instrument.binder.MeterBinder

/**
 * Publishes a [CircuitBreaker]'s [metrics][CircuitBreaker.metrics] to Micrometer, tagged with
 * `name` (the breaker's):
 * - `conduit.circuitbreaker.calls` (function counters) with `kind` = `successful`, `failed`,
 *   `timeout`, `slow`, `ignored` or `not_permitted`;
 * - `conduit.circuitbreaker.state` (gauges) with `state` = each state's name, 1 for the current
 *   one and 0 for the others;
 * - `conduit.circuitbreaker.failure.rate`, `conduit.circuitbreaker.slow.call.rate` (percent, -1
 *   below the minimum number of calls) and `conduit.circuitbreaker.buffered.calls` (gauges).
 *
 * Micrometer is an optional dependency of the core: only this class needs it on the class path.
 * Each reading takes a metrics snapshot; nothing runs on the breaker's call path. Never blocks.
 */
public class CircuitBreakerMeterBinder(private val breaker: CircuitBreaker) : MeterBinder {
    /** Registers the breaker's meters with [registry]. Never blocks. */
    override fun bindTo(registry: MeterRegistry) {
        val tags = Tags.of("name", breaker.name)
        val counts: List<Pair<String, (CircuitBreakerMetrics) -> Long>> = listOf(
            "successful" to { it.successfulCalls },
            "failed" to { it.failedCalls },
            "timeout" to { it.timeouts },
            "slow" to { it.slowCalls },
            "ignored" to { it.ignoredCalls },
            "not_permitted" to { it.notPermittedCalls },
        )
        for ((kind, count) in counts) {
            FunctionCounter.builder("conduit.circuitbreaker.calls", breaker) { count(it.metrics()).toDouble() }
                .tags(tags).tag("kind", kind).description("Calls through the circuit breaker, by outcome")
                .register(registry)
        }
        for (s in CircuitBreakerState.entries) {
            Gauge.builder("conduit.circuitbreaker.state", breaker) { if (it.state == s) 1.0 else 0.0 }
                .tags(tags).tag("state", s.name).description("1 for the circuit breaker's current state, 0 for the others")
                .register(registry)
        }
        gauge(registry, tags, "failure.rate", "Failure rate of the current window, in percent") { it.failureRate.toDouble() }
        gauge(registry, tags, "slow.call.rate", "Slow-call rate of the current window, in percent") { it.slowCallRate.toDouble() }
        gauge(registry, tags, "buffered.calls", "Outcomes the current window holds") { it.bufferedCalls.toDouble() }
    }

    private fun gauge(registry: MeterRegistry, tags: Tags, name: String, description: String, value: (CircuitBreakerMetrics) -> Double) {
        Gauge.builder("conduit.circuitbreaker.$name", breaker) { value(it.metrics()) }
            .tags(tags).description(description).register(registry)
    }
}
