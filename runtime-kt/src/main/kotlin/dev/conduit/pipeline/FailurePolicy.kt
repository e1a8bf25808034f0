package dev.conduit.pipeline

import kotlin.time.Duration
import kotlin.time.toKotlinDuration

/** What a [fanOut] does when processing an item fails. */
public sealed class FailurePolicy {
    /** The first failure cancels the whole fan-out: nothing more is taken or delivered. */
    public object FailFast : FailurePolicy() {
        override fun toString(): String = "FailFast"
    }

    /**
     * Failures are recorded and the fan-out keeps going: every other item is processed and its
     * result delivered; the aggregated error lists every failed item.
     */
    public object CollectAll : FailurePolicy() {
        override fun toString(): String = "CollectAll"
    }

    /**
     * Each item is tried up to `1 + times` times, waiting [backoff] between tries (measured by
     * the dispatcher: virtual time in tests); an item that fails every try is handled by
     * [then].
     *
     * @throws IllegalArgumentException if [times] < 1 or [backoff] is negative.
     */
    public class Retry(
        /** How many extra tries a failing item gets. */
        public val times: Int,
        /** How long to wait before each extra try. */
        public val backoff: Duration = Duration.ZERO,
        /** What happens to an item that failed every try: [FailFast] or [CollectAll]. */
        public val then: FailurePolicy = CollectAll,
    ) : FailurePolicy() {
        init {
            require(times >= 1) { "times must be >= 1, but was $times" }
            require(!backoff.isNegative()) { "backoff must be >= 0, but was $backoff" }
            require(then !is Retry) { "then must be FailFast or CollectAll, but was $then" }
        }

        override fun toString(): String = "Retry(times=$times, backoff=$backoff, then=$then)"
    }

    public companion object {
        /** [Retry] `times` with no backoff, then collect-all. For Java: `FailurePolicy.retry(3)`. */
        @JvmStatic
        public fun retry(times: Int): FailurePolicy = Retry(times)

        /** [Retry] for Java, with a `java.time.Duration` backoff and the policy that follows. */
        @JvmStatic
        public fun retry(times: Int, backoff: java.time.Duration, then: FailurePolicy): FailurePolicy =
            Retry(times, backoff.toKotlinDuration(), then)
    }
}

/** One input a [fanOut] could not process: the item, the last error and how many tries it got. */
public class ItemFailure<out T>(public val input: T, public val error: Throwable, public val attempts: Int) {
    override fun toString(): String = "$input: $error (after $attempts attempt(s))"
}

/**
 * The aggregated failure of a [fanOut]: every input that failed, each with its cause (for
 * fail-fast, the one that stopped it). The first cause is this exception's cause; the others
 * are suppressed exceptions.
 */
public class FanOutException(public val failures: List<ItemFailure<*>>) :
    Exception("${failures.size} input(s) failed: " + failures.joinToString("; "), failures.first().error) {
    init {
        failures.drop(1).forEach { addSuppressed(it.error) }
    }
}
