package dev.conduit.supervisor

import dev.conduit.Clock
import dev.conduit.context.CancelContext
import dev.conduit.context.Context
import dev.conduit.context.runWithContext
import dev.conduit.resilience.Backoff
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldContainExactly
import io.kotest.matchers.nulls.shouldNotBeNull
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.types.shouldBeInstanceOf
import io.kotest.matchers.types.shouldBeSameInstanceAs
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.Job
import kotlinx.coroutines.NonCancellable
import kotlinx.coroutines.async
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.launch
import kotlinx.coroutines.test.TestScope
import kotlinx.coroutines.test.advanceTimeBy
import kotlinx.coroutines.test.currentTime
import kotlinx.coroutines.test.runCurrent
import kotlinx.coroutines.test.runTest
import kotlinx.coroutines.withContext
import java.io.IOException
import kotlin.random.Random
import kotlin.time.Duration
import kotlin.time.Duration.Companion.milliseconds
import kotlin.time.Duration.Companion.minutes
import kotlin.time.Duration.Companion.seconds

/**
 * A child that runs until its context is cancelled, or until the test makes it fail or return
 * ([fail], [exit]); counts its runs.
 */
private class Service(private val id: String) : SupervisedChild {
    private var command = CompletableDeferred<Throwable?>()
    var runs = 0

    override suspend fun run(ctx: Context) {
        runs++
        val cmd = CompletableDeferred<Throwable?>().also { command = it }
        val error = runWithContext(ctx) { cmd.await() }
        if (error != null) throw error
    }

    fun fail(e: Throwable = IOException("$id broke")) {
        command.complete(e)
    }

    fun exit() {
        command.complete(null)
    }
}

/** A supervisor on the test's virtual clock whose events (with their virtual times) [events] records. */
private class Tree(private val scope: TestScope) {
    val clock: Clock = Clock.of(scope.backgroundScope, scope.testScheduler.timeSource)
    val events = ArrayList<String>()
    val ctx: CancelContext = Context.background(clock).withCancel()

    fun observe(sup: Supervisor): Supervisor = sup.also { s -> s.addListener { events += "${scope.currentTime} $it" } }

    fun supervisor(config: SupervisorConfig): Supervisor = observe(Supervisor(config))

    /** Starts [sup] under [ctx] in a coroutine of the test, and lets its children start. */
    fun start(sup: Supervisor): Job = scope.launch { sup.run(ctx) }.also { scope.runCurrent() }

    /** The events since the last call. */
    fun take(): List<String> = events.toList().also { events.clear() }
}

private fun specs(vararg services: Pair<String, Service>, restart: RestartType = RestartType.PERMANENT) =
    services.map { (id, s) -> ChildSpec(id, s, restart) }

private val noBackoff = Backoff.fixed(Duration.ZERO)

class SupervisorTest : FunSpec({
    test("configs reject bad values, naming them") {
        val child = SupervisedChild { }
        shouldThrow<IllegalArgumentException> { SupervisorConfig(maxRestarts = -1) }.message shouldBe "maxRestarts must be >= 0, but was -1"
        shouldThrow<IllegalArgumentException> { SupervisorConfig(period = Duration.ZERO) }.message shouldBe
            "period must be > 0 and finite, but was 0s"
        shouldThrow<IllegalArgumentException> { SupervisorConfig(name = " ") }.message shouldBe "name must not be blank, but was ' '"
        shouldThrow<IllegalArgumentException> {
            SupervisorConfig(children = listOf(ChildSpec("a", child), ChildSpec("a", child)))
        }.message shouldBe "children ids must be unique, but 'a' appears twice"
        shouldThrow<IllegalArgumentException> { SupervisorConfig(strategy = RestartStrategy.SIMPLE_ONE_FOR_ONE) }.message shouldBe
            "a SIMPLE_ONE_FOR_ONE supervisor needs a template, but template was null"
        shouldThrow<IllegalArgumentException> {
            SupervisorConfig(template = ChildTemplate("t") { child })
        }.message shouldBe "only a SIMPLE_ONE_FOR_ONE supervisor takes a template, but strategy was ONE_FOR_ONE"
        shouldThrow<IllegalArgumentException> { ChildSpec("", child) }.message shouldBe "id must not be blank, but was ''"
        shouldThrow<IllegalArgumentException> { ChildSpec("a", child, shutdownTimeout = Duration.ZERO) }.message shouldBe
            "shutdownTimeout must be > 0, but was 0s"
        shouldThrow<IllegalArgumentException> { ChildTemplate("t", healthInterval = (-1).seconds) { child } }.message shouldBe
            "healthInterval must be > 0, but was -1s"
    }

    test("children start in spec order and stop in reverse order") {
        runTest {
            val tree = Tree(this)
            val sup = tree.supervisor(SupervisorConfig("app", children = specs("a" to Service("a"), "b" to Service("b"), "c" to Service("c"))))
            val run = tree.start(sup)
            sup.children().map { "${it.id} ${it.state}" } shouldContainExactly listOf("a RUNNING", "b RUNNING", "c RUNNING")
            tree.ctx.cancel()
            run.join()
            tree.take() shouldContainExactly listOf(
                "0 app: started", "0 app: child a started", "0 app: child b started", "0 app: child c started",
                "0 app: stopping", "0 app: child c stopped", "0 app: child b stopped", "0 app: child a stopped", "0 app: stopped",
            )
            sup.children().map { "${it.id} ${it.state}" } shouldContainExactly listOf("a STOPPED", "b STOPPED", "c STOPPED")
        }
    }

    for ((strategy, expected) in listOf(
        RestartStrategy.ONE_FOR_ONE to listOf(
            "app: child b failed: java.io.IOException: b broke",
            "app: restarting [b] in 0s (attempt 1, after b)",
            "app: child b started (restart 1)",
        ),
        RestartStrategy.ONE_FOR_ALL to listOf(
            "app: child b failed: java.io.IOException: b broke",
            "app: child c stopped", "app: child a stopped",
            "app: restarting [a, b, c] in 0s (attempt 1, after b)",
            "app: child a started (restart 1)", "app: child b started (restart 1)", "app: child c started (restart 1)",
        ),
        RestartStrategy.REST_FOR_ONE to listOf(
            "app: child b failed: java.io.IOException: b broke",
            "app: child c stopped",
            "app: restarting [b, c] in 0s (attempt 1, after b)",
            "app: child b started (restart 1)", "app: child c started (restart 1)",
        ),
    )) {
        test("$strategy: which children restart when b fails, in which order") {
            runTest {
                val tree = Tree(this)
                val a = Service("a")
                val b = Service("b")
                val c = Service("c")
                val sup = tree.supervisor(SupervisorConfig("app", strategy, specs("a" to a, "b" to b, "c" to c), backoff = noBackoff))
                val run = tree.start(sup)
                tree.take()
                b.fail()
                runCurrent()
                tree.take().map { it.substringAfter(' ') } shouldContainExactly expected
                val restarted = expected.filter { it.endsWith("(restart 1)") }.map { it.substringAfter("child ").substringBefore(' ') }
                withClue("each restarted child ran again, the others did not") {
                    mapOf("a" to a.runs, "b" to b.runs, "c" to c.runs) shouldBe
                        listOf("a", "b", "c").associateWith { if (it in restarted) 2 else 1 }
                }
                sup.children().map { "${it.id} ${it.state} ${it.restarts}" } shouldContainExactly
                    listOf("a", "b", "c").map { "$it RUNNING ${if (it in restarted) 1 else 0}" }
                tree.ctx.cancel()
                run.join()
            }
        }
    }

    test("restart types: permanent restarts on return and failure, transient on failure only, temporary never") {
        runTest {
            val tree = Tree(this)
            val perm = Service("perm")
            val trans = Service("trans")
            val transFails = Service("transFails")
            val temp = Service("temp")
            val sup = tree.supervisor(SupervisorConfig("app", children = listOf(
                ChildSpec("perm", perm, RestartType.PERMANENT),
                ChildSpec("trans", trans, RestartType.TRANSIENT),
                ChildSpec("transFails", transFails, RestartType.TRANSIENT),
                ChildSpec("temp", temp, RestartType.TEMPORARY),
            ), maxRestarts = 10, backoff = noBackoff))
            val run = tree.start(sup)
            tree.take()
            perm.exit()
            trans.exit()
            transFails.fail()
            temp.fail()
            runCurrent()
            withClue("runs of perm, trans, transFails, temp") { listOf(perm.runs, trans.runs, transFails.runs, temp.runs) shouldBe listOf(2, 1, 2, 1) }
            sup.children().map { "${it.id} ${it.state}" } shouldContainExactly
                listOf("perm RUNNING", "trans STOPPED", "transFails RUNNING", "temp STOPPED")
            sup.children().single { it.id == "temp" }.lastFailure.shouldNotBeNull().message shouldBe "temp broke"
            tree.take().filter { "restarting" in it }.map { it.substringAfter("after ") } shouldContainExactly listOf("perm)", "transFails)")
            tree.ctx.cancel()
            run.join()
        }
    }

    test("a temporary sibling stopped by ONE_FOR_ALL or REST_FOR_ONE stays stopped; the others restart") {
        for (strategy in listOf(RestartStrategy.ONE_FOR_ALL, RestartStrategy.REST_FOR_ONE)) {
            runTest {
                val tree = Tree(this)
                val a = Service("a")
                val temp = Service("temp")
                val trans = Service("trans")
                val sup = tree.supervisor(SupervisorConfig("app", strategy, children = listOf(
                    ChildSpec("a", a, RestartType.PERMANENT),
                    ChildSpec("temp", temp, RestartType.TEMPORARY),
                    ChildSpec("trans", trans, RestartType.TRANSIENT),
                ), maxRestarts = 10, backoff = noBackoff))
                val run = tree.start(sup)
                a.fail()
                runCurrent()
                withClue("$strategy: runs of a, temp, trans") { listOf(a.runs, temp.runs, trans.runs) shouldBe listOf(2, 1, 2) }
                sup.children().map { "${it.id} ${it.state}" } shouldContainExactly listOf("a RUNNING", "temp STOPPED", "trans RUNNING")
                tree.ctx.cancel()
                run.join()
            }
        }
    }

    test("backoff delays are exact in virtual time: exponential, and growing only while restarts are in one period") {
        runTest {
            val tree = Tree(this)
            var failing = true
            val flaky = Service("flaky")
            val child = object : SupervisedChild {
                override suspend fun run(ctx: Context) {
                    if (failing) throw IOException("down")
                    flaky.run(ctx)
                }
            }
            val sup = tree.supervisor(SupervisorConfig("app", children = listOf(ChildSpec("flaky", child)),
                maxRestarts = 4, period = 10.seconds, backoff = Backoff.exponential(100.milliseconds, 2.0)))
            val run = tree.start(sup)
            advanceTimeBy(1500)
            failing = false
            runCurrent()
            tree.take().filter { "started" in it || "restarting" in it } shouldContainExactly listOf(
                "0 app: started", "0 app: child flaky started",
                "0 app: restarting [flaky] in 100ms (attempt 1, after flaky)", "100 app: child flaky started (restart 1)",
                "100 app: restarting [flaky] in 200ms (attempt 2, after flaky)", "300 app: child flaky started (restart 2)",
                "300 app: restarting [flaky] in 400ms (attempt 3, after flaky)", "700 app: child flaky started (restart 3)",
                "700 app: restarting [flaky] in 800ms (attempt 4, after flaky)", "1500 app: child flaky started (restart 4)",
            )
            withClue("a failure 10 s after the first restarts finds the window emptied of the old restarts") {
                advanceTimeBy(20_000 - 1500)
                flaky.fail()
                runCurrent()
                tree.take().filter { "restarting" in it } shouldContainExactly listOf("20000 app: restarting [flaky] in 100ms (attempt 1, after flaky)")
            }
            tree.ctx.cancel()
            run.join()
        }
    }

    test("a jittered backoff draws each delay from its random source") {
        runTest {
            val tree = Tree(this)
            val half = object : Random() {
                override fun nextBits(bitCount: Int): Int = 0
                override fun nextDouble(): Double = 0.5
            }
            val sup = tree.supervisor(SupervisorConfig("app", children = listOf(ChildSpec("f", SupervisedChild { throw IOException("down") })),
                maxRestarts = 3, period = 1.minutes, backoff = Backoff.fullJitter(100.milliseconds, 2.0, random = half)))
            val run = launch { shouldThrow<SupervisorFailedException> { sup.run(tree.ctx) } }
            run.join()
            tree.take().filter { "restarting" in it } shouldContainExactly listOf(
                "0 app: restarting [f] in 50ms (attempt 1, after f)",
                "50 app: restarting [f] in 100ms (attempt 2, after f)",
                "150 app: restarting [f] in 200ms (attempt 3, after f)",
            )
        }
    }

    test("intensity is a sliding window: failures spread out never escalate, a burst does") {
        runTest {
            val tree = Tree(this)
            val s = Service("s")
            val sup = tree.supervisor(SupervisorConfig("app", children = listOf(ChildSpec("s", s)),
                maxRestarts = 2, period = 5.seconds, backoff = noBackoff))
            val run = async { runCatching { sup.run(tree.ctx) } }
            runCurrent()
            repeat(5) {
                advanceTimeBy(3_000)
                s.fail()
                runCurrent()
            }
            withClue("5 restarts 3 s apart: never more than 2 in a 5 s window") { run.isActive shouldBe true }
            s.fail()
            runCurrent()
            withClue("a third restart within 5 s (12 s, 15 s, 15 s) escalates") { run.isCompleted shouldBe true }
            val failure = run.await().exceptionOrNull().shouldBeInstanceOf<SupervisorFailedException>()
            failure.message shouldBe "supervisor 'app': more than 2 restarts in 5s; the last after child 's' failed: java.io.IOException: s broke"
            failure.childId shouldBe "s"
            tree.take().takeLast(5) shouldContainExactly listOf(
                "15000 app: child s started (restart 5)",
                "15000 app: child s failed: java.io.IOException: s broke",
                "15000 app: more than 2 restarts in 5s, giving up",
                "15000 app: stopping ($failure)",
                "15000 app: stopped (failed)",
            )
        }
    }

    test("escalation through two levels: inner gives up, outer restarts it, then outer gives up") {
        runTest {
            val tree = Tree(this)
            val steady = Service("steady")
            val inner = tree.supervisor(SupervisorConfig("inner", children = listOf(ChildSpec("flaky", SupervisedChild { throw IOException("flaky down") })),
                maxRestarts = 1, period = 1.minutes, backoff = Backoff.fixed(10.milliseconds)))
            val outer = tree.supervisor(SupervisorConfig("outer", children = listOf(
                ChildSpec("steady", steady),
                ChildSpec("inner", inner, shutdownTimeout = Duration.INFINITE),
            ), maxRestarts = 1, period = 1.minutes, backoff = Backoff.fixed(1.seconds)))
            val result = async { runCatching { outer.run(tree.ctx) } }
            val failure = result.await().exceptionOrNull().shouldBeInstanceOf<SupervisorFailedException>()
            withClue("the outer failure's cause is the inner one's, whose cause is the child's") {
                failure.supervisor shouldBe "outer"
                val innerFailure = failure.cause.shouldBeInstanceOf<SupervisorFailedException>()
                innerFailure.supervisor shouldBe "inner"
                innerFailure.cause.shouldBeInstanceOf<IOException>().message shouldBe "flaky down"
            }
            // The outer counts inner as started once its run has begun, before inner starts its own child.
            val innerRun = listOf(
                "inner: started", "outer: child inner started", "inner: child flaky started",
                "inner: child flaky failed: java.io.IOException: flaky down",
                "inner: restarting [flaky] in 10ms (attempt 1, after flaky)",
            )
            val innerGivesUp = listOf(
                "inner: child flaky failed: java.io.IOException: flaky down",
                "inner: more than 1 restarts in 1m, giving up",
                "inner: stopping (${failure.cause})", "inner: stopped (failed)",
            )
            tree.take() shouldContainExactly listOf("0 outer: started", "0 outer: child steady started") +
                innerRun.map { "0 $it" } +
                listOf("10 inner: child flaky started (restart 1)") + innerGivesUp.map { "10 $it" } + listOf(
                    "10 outer: child inner failed: ${failure.cause}",
                    "10 outer: restarting [inner] in 1s (attempt 1, after inner)",
                ) + innerRun.map { "1010 $it".replace("inner started", "inner started (restart 1)") } +
                listOf("1020 inner: child flaky started (restart 1)") + innerGivesUp.map { "1020 $it" } + listOf(
                    "1020 outer: child inner failed: ${failure.cause}",
                    "1020 outer: more than 1 restarts in 1m, giving up",
                    "1020 outer: stopping ($failure)",
                    "1020 outer: child steady stopped",
                    "1020 outer: stopped (failed)",
                )
            withClue("the steady sibling ran throughout, once") { steady.runs shouldBe 1 }
        }
    }

    test("a child that ignores cancellation is cancelled hard, then abandoned and reported; the supervisor does not hang") {
        runTest {
            val tree = Tree(this)
            val release = CompletableDeferred<Unit>()
            var shutdownDeadline: Long? = null
            val stubborn = SupervisedChild { withContext(NonCancellable) { release.await() } }
            val deaf = SupervisedChild { awaitCancellation() } // ignores its context, but not its coroutine's cancellation
            val polite = object : SupervisedChild {
                override suspend fun run(ctx: Context) {
                    runWithContext(ctx) { awaitCancellation() }
                }

                override suspend fun shutdown(ctx: Context) {
                    shutdownDeadline = ctx.deadline?.let { java.time.Duration.between(tree.clock.now(), it).toMillis() }
                    throw IllegalStateException("flush failed")
                }
            }
            val sup = tree.supervisor(SupervisorConfig("app", children = listOf(
                ChildSpec("polite", polite, shutdownTimeout = 3.seconds),
                ChildSpec("deaf", deaf, shutdownTimeout = 1.seconds),
                ChildSpec("stubborn", stubborn, shutdownTimeout = 1.seconds),
            )))
            val run = tree.start(sup)
            tree.take()
            tree.ctx.cancel()
            run.join()
            withClue("run returned in virtual time ${currentTime} ms") { currentTime shouldBe 3000 }
            tree.take() shouldContainExactly listOf(
                "0 app: stopping",
                "2000 app: child stubborn ignored cancellation, abandoned after 2s",
                "3000 app: child deaf stopped (forced)",
                "3000 app: child polite stopped, shutdown threw java.lang.IllegalStateException: flush failed",
                "3000 app: stopped",
            )
            withClue("shutdown's context ends at the shutdown timeout") { shutdownDeadline shouldBe 3000 }
            release.complete(Unit)
        }
    }

    test("cancelling the coroutine that runs the supervisor stops its children in reverse order") {
        runTest {
            val tree = Tree(this)
            val sup = tree.supervisor(SupervisorConfig("app", children = specs("a" to Service("a"), "b" to Service("b"))))
            val run = tree.start(sup)
            withClue("a second run while one runs") {
                shouldThrow<IllegalStateException> { sup.run(tree.ctx) }.message shouldBe "supervisor 'app' is already running"
            }
            tree.take()
            run.cancel()
            run.join()
            tree.take() shouldContainExactly listOf("0 app: stopping", "0 app: child b stopped", "0 app: child a stopped", "0 app: stopped")
            sup.isRunning shouldBe false
        }
    }

    test("a health check that says unhealthy (or throws, or does not answer within its interval) stops the child, which counts as a failure and restarts") {
        runTest {
            val tree = Tree(this)
            var healthy = true
            val sick = object : SupervisedChild {
                override suspend fun run(ctx: Context) = runWithContext(ctx) { awaitCancellation() }
                override suspend fun health(): Boolean = healthy
            }
            val throwing = object : SupervisedChild {
                var polls = 0
                override suspend fun run(ctx: Context) = runWithContext(ctx) { awaitCancellation() }
                override suspend fun health(): Boolean = if (++polls == 2) throw IOException("probe failed") else true
            }
            val hung = object : SupervisedChild {
                var polls = 0
                override suspend fun run(ctx: Context) = runWithContext(ctx) { awaitCancellation() }
                override suspend fun health(): Boolean = if (++polls == 1) awaitCancellation() else true
            }
            val sup = tree.supervisor(SupervisorConfig("app", children = listOf(
                ChildSpec("sick", sick, RestartType.TRANSIENT, healthInterval = 1.seconds),
                ChildSpec("throwing", throwing, healthInterval = 5.seconds),
                ChildSpec("hung", hung, healthInterval = 20.seconds),
            ), backoff = noBackoff))
            val run = tree.start(sup)
            advanceTimeBy(2500)
            healthy = false
            advanceTimeBy(1000)
            runCurrent()
            tree.take() shouldContainExactly listOf(
                "0 app: started", "0 app: child sick started", "0 app: child throwing started", "0 app: child hung started",
                "3000 app: child sick unhealthy", "3000 app: child sick stopped",
                "3000 app: restarting [sick] in 0s (attempt 1, after sick)", "3000 app: child sick started (restart 1)",
            )
            sup.children().first().lastFailure.shouldBeInstanceOf<ChildUnhealthyException>().childId shouldBe "sick"
            healthy = true
            advanceTimeBy(7000)
            runCurrent()
            tree.take() shouldContainExactly listOf(
                "10000 app: child throwing unhealthy: java.io.IOException: probe failed", "10000 app: child throwing stopped",
                "10000 app: restarting [throwing] in 0s (attempt 1, after throwing)", "10000 app: child throwing started (restart 1)",
            )
            advanceTimeBy(30_000)
            runCurrent()
            tree.take().filter { "hung" in it } shouldContainExactly listOf(
                "40000 app: child hung unhealthy: java.util.concurrent.TimeoutException: health check did not answer within 20s",
                "40000 app: child hung stopped",
                "40000 app: restarting [hung] in 0s (attempt 1, after hung)", "40000 app: child hung started (restart 1)",
            )
            tree.ctx.cancel()
            run.join()
        }
    }

    test("dynamic children: started from one template at run time, restarted alone, removed when they end or are terminated") {
        runTest {
            val tree = Tree(this)
            val made = HashMap<Any?, Service>()
            val sup = tree.supervisor(SupervisorConfig("conns", RestartStrategy.SIMPLE_ONE_FOR_ONE,
                template = ChildTemplate("conn", RestartType.TRANSIENT) { args -> Service("$args").also { made[args] = it } },
                backoff = noBackoff))
            shouldThrow<IllegalStateException> { sup.startChild("x") }.message shouldBe "supervisor 'conns' is not running"
            val run = tree.start(sup)
            sup.startChild("alice") shouldBe "conn-1"
            sup.startChild("bob") shouldBe "conn-2"
            sup.startChild("carol") shouldBe "conn-3"
            sup.children().map { "${it.id} ${it.state}" } shouldContainExactly listOf("conn-1 RUNNING", "conn-2 RUNNING", "conn-3 RUNNING")
            made.getValue("alice").fail()
            made.getValue("bob").exit()
            runCurrent()
            withClue("alice restarted alone, bob ended for good and is gone") {
                listOf(made.getValue("alice").runs, made.getValue("bob").runs, made.getValue("carol").runs) shouldBe listOf(2, 1, 1)
                sup.children().map { "${it.id} ${it.state} ${it.restarts}" } shouldContainExactly listOf("conn-1 RUNNING 1", "conn-3 RUNNING 0")
            }
            sup.terminateChild("conn-3") shouldBe true
            sup.terminateChild("conn-3") shouldBe false
            sup.terminateChild("nobody") shouldBe false
            sup.children().map { it.id } shouldContainExactly listOf("conn-1")
            tree.take().filter { "conn-3" in it } shouldContainExactly listOf("0 conns: child conn-3 started", "0 conns: child conn-3 stopped")
            val boom = IllegalArgumentException("bad args")
            val broken = tree.supervisor(SupervisorConfig("broken", RestartStrategy.SIMPLE_ONE_FOR_ONE, template = ChildTemplate("c") { throw boom }))
            val brokenRun = launch { broken.run(tree.ctx) }
            runCurrent()
            withClue("what the factory throws, startChild throws, and starts nothing") {
                shouldThrow<IllegalArgumentException> { broken.startChild() } shouldBeSameInstanceAs boom
                broken.children() shouldBe emptyList()
            }
            tree.ctx.cancel()
            run.join()
            brokenRun.join()
            shouldThrow<IllegalStateException> {
                Supervisor(SupervisorConfig("static")).startChild()
            }.message shouldContain "startChild needs a SIMPLE_ONE_FOR_ONE supervisor, but 'static' is ONE_FOR_ONE"
        }
    }

    test("a static child terminated stays listed as stopped and is not restarted; a failing listener does not disturb") {
        runTest {
            val tree = Tree(this)
            val a = Service("a")
            val sup = tree.supervisor(SupervisorConfig("app", children = specs("a" to a, "b" to Service("b"))))
            val reported = ArrayList<Throwable>()
            dev.conduit.GoRuntime.setUncaughtExceptionHandler { reported += it }
            try {
                sup.addListener { throw IllegalStateException("listener broke") }
                val run = tree.start(sup)
                sup.terminateChild("a") shouldBe true
                sup.children().map { "${it.id} ${it.state}" } shouldContainExactly listOf("a STOPPED", "b RUNNING")
                withClue("the listener's failures were reported") { reported.map { it.message }.toSet() shouldBe setOf("listener broke") }
                tree.ctx.cancel()
                run.join()
                a.runs shouldBe 1
            } finally {
                dev.conduit.GoRuntime.setUncaughtExceptionHandler(null)
            }
        }
    }
})
