package dev.conduit.chan

import kotlinx.coroutines.ExperimentalCoroutinesApi
import kotlinx.coroutines.selects.SelectBuilder
import kotlinx.coroutines.selects.onTimeout
import java.util.concurrent.ThreadLocalRandom
import kotlin.time.Duration

/**
 * Collects the cases of one [select] and runs them on kotlinx's select. kotlinx picks the
 * first ready clause in registration order, so registering the cases in a random order makes
 * the choice uniform among ready cases, as in Go; a default case is registered last as a
 * zero timeout, so it fires only when no other case was ready during registration.
 */
internal class SelectScopeImpl<R> : SelectScope<R> {
    private val cases = ArrayList<SelectBuilder<R>.() -> Unit>(4)
    private val channels = ArrayList<BaseChan<*>>(4)
    private var default: (suspend () -> R)? = null

    /** Cases that can fire: every case but those on a nil channel. */
    private var live = 0

    /** The last live case as a plain channel operation, for a select with only that case. */
    private var direct: (suspend () -> R)? = null

    override fun <T> ReceiveChan<T>.onReceive(enabled: Boolean, block: suspend (T) -> R) {
        if (enabled) onReceiveOk { block(it.value) }
    }

    override fun <T> ReceiveChan<T>.onReceiveOk(enabled: Boolean, block: suspend (Received<T>) -> R) {
        if (!enabled) return
        val base = claim<T>(this)
        cases.add { with(base) { registerReceive(block) } }
        if (base !== NilChan) countLive { block(base.receiveOk()) }
    }

    override fun <T> SendChan<T>.onSend(value: T, enabled: Boolean, block: suspend () -> R) {
        if (!enabled) return
        val base = claim<T>(this)
        cases.add { with(base) { registerSend(value, block) } }
        if (base !== NilChan) {
            countLive {
                base.send(value)
                block()
            }
        }
    }

    private fun countLive(asDirect: (suspend () -> R)?) {
        live++
        direct = asDirect
    }

    /**
     * kotlinx's select cannot wait on one channel object twice, so two enabled cases on the
     * same channel are refused here, by name, rather than deep inside kotlinx.
     */
    private fun <T> claim(chan: Any): BaseChan<T> {
        @Suppress("UNCHECKED_CAST")
        val base = chan as BaseChan<T>
        if (base !== NilChan) {
            require(channels.none { it === base }) {
                "a select may have only one enabled case per channel, but $base has two: " +
                    "kotlinx's select cannot wait on one channel twice"
            }
            channels.add(base)
        }
        return base
    }

    @OptIn(ExperimentalCoroutinesApi::class)
    override fun onTimeout(timeout: Duration, block: suspend () -> R) {
        cases.add { onTimeout(timeout, block) }
        countLive(null)
    }

    override fun default(block: suspend () -> R) {
        require(default == null) { "a select may have only one default case" }
        default = block
        countLive(null)
    }

    @OptIn(ExperimentalCoroutinesApi::class)
    suspend fun run(biased: Boolean): R {
        // One case that can fire (the others on nil channels, as with a background context's
        // done): a plain channel operation does the same, as Go compiles such a select.
        direct?.let { if (live == 1) return it() }
        if (!biased) shuffle()
        val otherwise = default
        return kotlinx.coroutines.selects.select {
            for (case in cases) case()
            if (otherwise != null) onTimeout(Duration.ZERO, otherwise)
        }
    }

    private fun shuffle() {
        val random = ThreadLocalRandom.current()
        for (i in cases.size - 1 downTo 1) {
            val j = random.nextInt(i + 1)
            val t = cases[i]
            cases[i] = cases[j]
            cases[j] = t
        }
    }
}
