package dev.conduit.chan

import kotlinx.coroutines.channels.Channel
import java.lang.invoke.MethodHandles
import java.lang.invoke.VarHandle

/**
 * Go's `len(ch)` from the counters kotlinx's `BufferedChannel` already keeps: how many sends
 * and how many receives have started. Their difference, clamped to `[0, cap]`, is the number of
 * buffered values (waiting senders mean a full buffer, waiting receivers an empty one), and
 * reading it costs the channel operations nothing, where counting ourselves cost every send and
 * receive an atomic increment and a wrapper frame.
 *
 * The counters are private to kotlinx, so they are found by name once, when this object loads;
 * if a kotlinx version renames them, loading fails at once with a message saying so, and the
 * channel tests fail, rather than `len` being silently wrong. Checked against
 * kotlinx-coroutines 1.11.0.
 */
internal object KotlinxCounters {
    private const val SENDERS_FIELD = "sendersAndCloseStatus\$volatile"
    private const val RECEIVERS_FIELD = "receivers\$volatile"

    /** The send counter shares its long with the close status, which takes the top 4 bits. */
    private const val SENDERS_MASK = (1L shl 60) - 1

    private val senders: VarHandle
    private val receivers: VarHandle

    init {
        val type = Class.forName("kotlinx.coroutines.channels.BufferedChannel")
        try {
            val lookup = MethodHandles.privateLookupIn(type, MethodHandles.lookup())
            senders = lookup.findVarHandle(type, SENDERS_FIELD, Long::class.javaPrimitiveType)
            receivers = lookup.findVarHandle(type, RECEIVERS_FIELD, Long::class.javaPrimitiveType)
        } catch (e: ReflectiveOperationException) {
            throw IllegalStateException(
                "this kotlinx-coroutines version has no BufferedChannel.$SENDERS_FIELD/$RECEIVERS_FIELD; " +
                    "Conduit's Chan.len was written against 1.11.0",
                e,
            )
        }
    }

    /** How many values [ch], made with capacity [cap], holds now. */
    fun buffered(ch: Channel<*>, cap: Int): Int {
        if (cap == 0) return 0
        val r = receivers.getVolatile(ch) as Long
        val s = (senders.getVolatile(ch) as Long) and SENDERS_MASK
        return (s - r).coerceIn(0L, cap.toLong()).toInt()
    }
}
