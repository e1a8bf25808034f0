package dev.conduit.chan

import io.kotest.assertions.withClue
import io.kotest.matchers.ints.shouldBeGreaterThan

/**
 * Makes a race between two sides go each way, however fast or loaded the machine is. The
 * releasing side lets the other side go and then, before its own step, [hold]s: for no time at
 * first, as the race falls; each round the releasing side wins doubles the hold (from 100 ns, up
 * to 10 ms), until the released side wins one and the hold starts again from zero. Once each
 * side has won [wanted] rounds the hold stays zero, so the remaining rounds run as they fall.
 * [requireBothWon] fails, with the counts, if the race still went one way only: a race test must
 * have seen each of its legal outcomes, or it tested half of its claim.
 *
 * (Without the hold, a side that needs a few hundred nanoseconds more, or a loaded machine,
 * can make one outcome so rare that 1,000 rounds never see it.)
 */
internal class RaceBalance(private val what: String, private val wanted: Int = 20) {
    private var holdNanos = 0L
    private var releasedWon = 0
    private var releaserWon = 0

    /** Spins for the current hold; the releasing side calls it right after releasing the other. */
    fun hold() {
        val until = System.nanoTime() + holdNanos
        while (System.nanoTime() < until) Thread.onSpinWait()
    }

    /** Records who won a round and sets the next round's hold. */
    fun record(releasedSideWon: Boolean) {
        if (releasedSideWon) releasedWon++ else releaserWon++
        holdNanos = when {
            releasedWon >= wanted && releaserWon >= wanted -> 0L
            releasedSideWon -> 0L
            else -> (holdNanos * 2).coerceIn(100L, 10_000_000L)
        }
    }

    /** Whether each side has won at least one round. */
    val bothWon: Boolean get() = releasedWon > 0 && releaserWon > 0

    /** Fails unless each side won at least one round. */
    fun requireBothWon() {
        withClue("$this; each side must have won, or the race was not run") {
            releasedWon shouldBeGreaterThan 0
            releaserWon shouldBeGreaterThan 0
        }
    }

    override fun toString(): String =
        "$what: over ${releasedWon + releaserWon} rounds the released side won $releasedWon and the releasing side $releaserWon"
}
