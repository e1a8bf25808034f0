package dev.conduit.supervisor

import dev.conduit.lincheckSize
import io.kotest.assertions.withClue
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.ints.shouldBeLessThanOrEqual
import io.kotest.matchers.shouldBe
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.joinAll
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import kotlinx.coroutines.withTimeout
import kotlinx.coroutines.yield
import java.util.concurrent.ConcurrentLinkedQueue
import java.util.concurrent.atomic.AtomicInteger
import kotlin.time.Duration.Companion.seconds

/**
 * The manager's slot and state accounting on real threads: its slots are a Conduit
 * [dev.conduit.sync.Semaphore] (model-checked in `SyncLincheckTest`), and what this adds, the
 * goroutine count and the phase, lives under one lock; this checks that the two agree while
 * starts race a shutdown. Bounded by default, more rounds under `-Pstress`.
 */
class GoroutineManagerStressTest : FunSpec({
    test("starts racing a shutdown on 8 threads: the limit holds, each start runs or is refused, every started one ends") {
        runBlocking(Dispatchers.Default) {
            withTimeout(60.seconds) {
                repeat(lincheckSize(20, 500)) { round ->
                    val m = GoroutineManager(maxGoroutines = 4, name = "round $round")
                    val running = AtomicInteger()
                    val peak = AtomicInteger()
                    val bodies = AtomicInteger()
                    val started = ConcurrentLinkedQueue<ManagedGoroutine>()
                    val refused = AtomicInteger()
                    val body: suspend ManagedGoroutineScope.(dev.conduit.context.Context) -> Unit = {
                        bodies.incrementAndGet()
                        peak.accumulateAndGet(running.incrementAndGet(), ::maxOf)
                        try {
                            yield()
                        } finally {
                            running.decrementAndGet()
                        }
                    }
                    val starters = (0 until 8).map { t ->
                        launch {
                            repeat(50) { i ->
                                try {
                                    val g = if ((t + i) % 2 == 0) m.go("s$t-$i", block = body) else m.tryGo("s$t-$i", block = body)
                                    g?.let { started.add(it) }
                                } catch (e: GoroutineManagerClosedException) {
                                    refused.incrementAndGet()
                                }
                            }
                        }
                    }
                    while (bodies.get() < 20) yield()
                    val report = m.shutdown(10.seconds, 20.seconds)
                    starters.joinAll()
                    withClue("round $round: never more than 4 at once") { peak.get() shouldBeLessThanOrEqual 4 }
                    withClue("round $round: nothing left running") { report.neverEnded.shouldBeEmpty() }
                    withClue("round $round: every started goroutine ended") { started.filter { !it.isDone }.shouldBeEmpty() }
                    withClue("round $round: the slots are all free again") { m.goroutines().filter { !it.state.isEnded }.shouldBeEmpty() }
                    m.state shouldBe GoroutineManagerState.TERMINATED
                }
            }
        }
    }
})
