package dev.conduit.chan

import dev.conduit.chan.spi.Poll
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.booleans.shouldBeFalse
import io.kotest.matchers.booleans.shouldBeTrue
import io.kotest.matchers.shouldBe
import io.kotest.matchers.types.shouldBeInstanceOf
import java.util.concurrent.CancellationException
import java.util.concurrent.CompletableFuture
import java.util.concurrent.ExecutionException
import java.util.concurrent.TimeUnit
import java.util.concurrent.TimeoutException

/**
 * The core's operation futures from Kotlin: however a receive future (or a stage derived from
 * it) is ended from outside, the receive is withdrawn first, so the next value sent is not taken
 * by it; and once the receive has happened, nothing from outside can replace its value.
 */
class OperationFutureTest : FunSpec({
    fun receiving(ch: ChanImpl<Int>): CompletableFuture<Any?> = ch.receiveFuture { it }

    /** The value sent after the future was abandoned is still in the channel for the next receiver. */
    fun nextValueStays(ch: ChanImpl<Int>) {
        withClue("the abandoned receive was withdrawn, so the buffered value is still there") {
            ch.trySend(7).shouldBeTrue()
            ch.tryReceive() shouldBe Received.of(7)
        }
    }

    test("orTimeout on the receive future withdraws the receive") {
        val ch = ChanImpl<Int>(1)
        val f = receiving(ch).orTimeout(1, TimeUnit.MILLISECONDS)
        shouldThrow<ExecutionException> { f.get(10, TimeUnit.SECONDS) }.cause.shouldBeInstanceOf<TimeoutException>()
        nextValueStays(ch)
    }

    test("complete and completeExceptionally from outside withdraw the receive first") {
        val ch = ChanImpl<Int>(1)
        receiving(ch).complete("mine").shouldBeTrue()
        receiving(ch).completeExceptionally(IllegalStateException("gave up")).shouldBeTrue()
        nextValueStays(ch)
    }

    test("cancelling a derived stage withdraws the receive and cancels the receive's own future") {
        val ch = ChanImpl<Int>(1)
        val own = receiving(ch)
        val derived = own.thenApply { it }
        derived.cancel(true).shouldBeTrue()
        withClue("the operation's own future ends with it") { own.isCancelled.shouldBeTrue() }
        nextValueStays(ch)
    }

    test("once the receive happened, an outside end loses and the value is the operation's") {
        val ch = ChanImpl<Int>(1)
        val f = receiving(ch)
        ch.trySend(3).shouldBeTrue()
        withClue("the value went to the waiting receive") { f.get(10, TimeUnit.SECONDS) shouldBe 3 }
        f.complete("other").shouldBeFalse()
        f.cancel(true).shouldBeFalse()
        shouldThrow<UnsupportedOperationException> { f.obtrudeValue("forced") }
        f.get() shouldBe 3
    }

    test("a send future ended from outside sends nothing") {
        val ch = ChanImpl<Int>(0)
        val sending = ch.sendFuture(5) { r -> r === Poll.SENT }
        sending.orTimeout(1, TimeUnit.MILLISECONDS)
        shouldThrow<ExecutionException> { sending.get(10, TimeUnit.SECONDS) }.cause.shouldBeInstanceOf<TimeoutException>()
        withClue("no sender is left for a receiver to meet") { ch.tryReceive() shouldBe null }
        shouldThrow<CancellationException> { ch.sendFuture(6) { it }.also { it.cancel(false) }.join() }
        ch.tryReceive() shouldBe null
    }
})
