package dev.conduit.pipeline

import dev.conduit.chan.ReceiveChan
import dev.conduit.chan.Chan
import dev.conduit.chan.select
import kotlinx.coroutines.cancelChildren
import kotlinx.coroutines.coroutineScope
import kotlinx.coroutines.launch
import kotlin.time.Duration

/** When a [gather] is complete. */
public sealed class Completion {
    /** Every source must answer. */
    public object All : Completion() {
        override fun toString(): String = "All"
    }

    /** The first [k] answers are enough; the rest are not waited for. */
    public class FirstK(public val k: Int) : Completion() {
        init {
            require(k >= 1) { "k must be >= 1, but was $k" }
        }

        override fun toString(): String = "FirstK($k)"
    }

    /** A strict majority of the sources (`n / 2 + 1`) is enough. */
    public object Quorum : Completion() {
        override fun toString(): String = "Quorum"
    }

    @JvmSynthetic
    internal fun needed(sources: Int): Int = when (this) {
        All -> sources
        Quorum -> sources / 2 + 1
        is FirstK -> k
    }

    public companion object {
        /** [FirstK] for Java: `Completion.firstK(2)`. */
        @JvmStatic
        public fun firstK(k: Int): Completion = FirstK(k)
    }
}

/** Why a source gave no answer to a [gather]. */
public enum class Missing {
    /** It did not answer within the per-source timeout. */
    TIMED_OUT,

    /** Its channel closed without a value. */
    CLOSED,

    /** The gather was complete before it answered, so it was not waited for. */
    NOT_NEEDED,
}

/**
 * What a [gather] collected: [values] by source index (in arrival order) and, for every other
 * source, why it gave none.
 */
public class Gathered<out T>(public val values: Map<Int, T>, public val missing: Map<Int, Missing>) {
    override fun toString(): String = "Gathered(values=$values, missing=$missing)"
}

/**
 * The gather could not complete: too many sources timed out or closed. [partial] holds what
 * did arrive.
 */
public class GatherException(public val needed: Int, public val partial: Gathered<*>) :
    Exception("needed $needed answer(s) but got ${partial.values.size}: missing ${partial.missing}")

/**
 * The multi-channel coordinator: takes one value from each of [sources], each within
 * [perSourceTimeout] (measured by the dispatcher: virtual time in tests), and returns as soon
 * as [completion] is met: [Completion.All], [Completion.FirstK] or [Completion.Quorum]. Sources
 * not needed any more are no longer waited for. Suspends; cancelling the caller stops it.
 *
 * ```
 * val replicas = listOf(askA(), askB(), askC())
 * val answer = gather(replicas, 200.milliseconds, Completion.Quorum)
 * ```
 *
 * @throws GatherException as soon as [completion] can no longer be met (with what arrived).
 * @throws IllegalArgumentException if [sources] is empty, [perSourceTimeout] is not positive,
 *   or [completion] needs more answers than there are sources.
 */
public suspend fun <T> gather(sources: List<ReceiveChan<T>>, perSourceTimeout: Duration, completion: Completion): Gathered<T> {
    require(sources.isNotEmpty()) { "sources must not be empty" }
    require(perSourceTimeout.isPositive()) { "perSourceTimeout must be > 0, but was $perSourceTimeout" }
    val needed = completion.needed(sources.size)
    require(needed <= sources.size) { "$completion needs $needed answers but there are ${sources.size} sources" }
    val values = LinkedHashMap<Int, T>()
    val missing = LinkedHashMap<Int, Missing>()
    coroutineScope {
        val answers = Chan<Pair<Int, Any?>>(sources.size)
        sources.forEachIndexed { i, source ->
            launch {
                val answer: Any? = select {
                    source.onReceiveOk { if (it.ok) it else Missing.CLOSED }
                    onTimeout(perSourceTimeout) { Missing.TIMED_OUT }
                }
                answers.send(i to answer)
            }
        }
        while (values.size < needed && sources.size - missing.size >= needed) {
            val (i, answer) = answers.receive()
            if (answer is Missing) {
                missing[i] = answer
            } else {
                @Suppress("UNCHECKED_CAST")
                values[i] = (answer as dev.conduit.chan.Received<T>).value
            }
        }
        coroutineContext.cancelChildren()
    }
    for (i in sources.indices) if (i !in values && i !in missing) missing[i] = Missing.NOT_NEEDED
    val result = Gathered(values, missing)
    if (values.size < needed) throw GatherException(needed, result)
    return result
}
