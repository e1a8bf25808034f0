package dev.conduit.chan

import dev.conduit.chan.spi.Selection
import dev.conduit.stressRun
import io.kotest.core.spec.style.FunSpec
import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.Operation
import org.jetbrains.lincheck.datastructures.Validate
import org.jetbrains.lincheck.datastructures.scenario

/**
 * [NoWaiterLeftTest]'s model-checking races: a select cancelled (or its future cancelled) while
 * a sender completes one of its cases leaves no entry queued. A Lincheck class, so it runs in
 * the Lincheck JVM, where detection is off: Lincheck would explore the diagnostics records as
 * part of each operation. Each is a two-thread custom scenario with the check in a validation
 * function (Lincheck cancels the select as soon as it suspends, so none is left waiting).
 */
class NoWaiterLeftLincheckTest : FunSpec({
    test("model checking: a two-channel select cancelled while a sender completes one case leaves no entry") {
        ModelCheckingOptions()
            .addCustomScenario(
                scenario {
                    parallel {
                        thread { add(cancellableActor(SelectCancelRace::selectEither)) }
                        thread { actor(SelectCancelRace::trySendA) }
                    }
                },
            )
            .iterations(0)
            .invocationsPerIteration(if (stressRun) 20_000 else 800)
            .minimizeFailedScenario(false)
            .check(SelectCancelRace::class)
    }

    test("model checking: a two-channel select future cancelled while a sender completes one case leaves no entry") {
        ModelCheckingOptions()
            .addCustomScenario(
                scenario {
                    parallel {
                        thread { actor(FutureSelectCancelRace::selectFutureThenCancel) }
                        thread { actor(FutureSelectCancelRace::trySendA) }
                    }
                },
            )
            .iterations(0)
            .invocationsPerIteration(if (stressRun) 20_000 else 800)
            .minimizeFailedScenario(false)
            .check(FutureSelectCancelRace::class)
    }

    test("model checking: a select with a receive and a send on one channel, cancelled while a sender completes the receive, leaves no entry") {
        ModelCheckingOptions()
            .addCustomScenario(
                scenario {
                    parallel {
                        thread { add(cancellableActor(SameChannelSelectCancelRace::selectEither)) }
                        thread { actor(SameChannelSelectCancelRace::trySendA) }
                    }
                },
            )
            .iterations(0)
            .invocationsPerIteration(if (stressRun) 20_000 else 800)
            .minimizeFailedScenario(false)
            .check(SameChannelSelectCancelRace::class)
    }
})

/**
 * A select on two channels that Lincheck cancels as soon as it suspends, racing a `trySend` on
 * one of them; once both are done (the select completed, or cancelled), nothing of it may be
 * queued on either channel.
 */
class SelectCancelRace {
    private val a = Chan<Int>()
    private val b = Chan<Int>()

    @Operation
    suspend fun selectEither(): String = select {
        a.onReceive { "a: $it" }
        b.onReceive { "b: $it" }
    }

    @Operation
    fun trySendA(): Boolean = a.trySend(1)

    @Validate
    fun noEntryLeft() {
        check(a.queuedWaiters() == (0 to 0) && b.queuedWaiters() == (0 to 0)) {
            "entries left queued: a=${a.queuedWaiters()} b=${b.queuedWaiters()}"
        }
    }
}

/**
 * A select future on two channels cancelled by the thread that made it, racing a `trySend` on
 * one of them. The operations return nothing (one registers and cancels, which no sequential
 * run can interleave with the other), so the check is the validation: the value went exactly
 * one way and nothing is left queued.
 */
class FutureSelectCancelRace {
    private val a = Chan<Int>()
    private val b = Chan<Int>()

    @Volatile
    private var future: java.util.concurrent.CompletableFuture<Any?>? = null

    @Volatile
    private var cancelled: Boolean? = null

    @Volatile
    private var sent: Boolean? = null

    @Operation
    fun selectFutureThenCancel() {
        val s = Selection()
        s.receive(b)
        s.receive(a)
        val f = s.selectFuture(false, Long.MAX_VALUE) { s.result }
        future = f
        cancelled = f.cancel(true)
    }

    @Operation
    fun trySendA() {
        sent = a.trySend(1)
    }

    @Validate
    fun oneWayAndNoEntryLeft() {
        val c = cancelled ?: return
        val t = sent ?: return
        val f = future!!
        check(c == !t) { "cancel returned $c but trySend returned $t" }
        if (!c) check(f.isDone && f.getNow(null) == 1) { "the claimed future has ${if (f.isDone) f.getNow(null) else "not completed"}" }
        check(a.queuedWaiters() == (0 to 0) && b.queuedWaiters() == (0 to 0)) {
            "entries left queued: a=${a.queuedWaiters()} b=${b.queuedWaiters()}"
        }
    }
}

/** [SelectCancelRace] with both cases on one channel: `select { case v := <-a: ; case a <- 2: }`. */
class SameChannelSelectCancelRace {
    private val a = Chan<Int>()

    @Operation
    suspend fun selectEither(): String = select {
        a.onReceive { "a: $it" }
        a.onSend(2) { "a <- 2" }
    }

    @Operation
    fun trySendA(): Boolean = a.trySend(1)

    @Validate
    fun noEntryLeft() {
        check(a.queuedWaiters() == (0 to 0)) { "entries left queued: a=${a.queuedWaiters()}" }
    }
}

/** A Lincheck actor for [f] that Lincheck cancels once it suspends (the DSL's `actor` never cancels). */
private fun cancellableActor(f: kotlin.reflect.KFunction<*>): org.jetbrains.kotlinx.lincheck.Actor {
    val m = Class.forName("org.jetbrains.lincheck.datastructures.CustomScenarioDSLKt")
        .getMethod("actor", kotlin.reflect.KFunction::class.java, Array<Any?>::class.java, Boolean::class.javaPrimitiveType)
    return m.invoke(null, f, arrayOf<Any?>(), true) as org.jetbrains.kotlinx.lincheck.Actor
}
