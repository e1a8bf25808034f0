package dev.conduit

import dev.conduit.supervisor.Diagnostics
import io.kotest.assertions.throwables.shouldThrow
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldBeEmpty
import io.kotest.matchers.shouldBe
import io.kotest.matchers.string.shouldContain
import io.kotest.matchers.string.shouldStartWith
import kotlinx.coroutines.CompletableDeferred
import kotlinx.coroutines.CoroutineName
import kotlinx.coroutines.awaitCancellation
import kotlinx.coroutines.launch
import kotlinx.coroutines.runBlocking
import java.time.Duration

class GoLeaksTest : FunSpec({
    afterTest { GoLeaks.recordCreationSites(false) }

    test("a goroutine started since the snapshot and still running is a leak, named, with where it started") {
        GoLeaks.recordCreationSites(true)
        val before = GoLeaks.running()
        val leak = go { awaitCancellation() }
        val e = shouldThrow<GoroutineLeakError> { GoLeaks.verifyNone(before, Duration.ofMillis(50)) }
        e.leaked.size shouldBe 1
        e.message shouldStartWith "1 goroutine(s) still running 50 ms after the test:"
        e.message shouldContain "coroutine 'go', started at dev.conduit.GoLeaksTest"
        leak.cancel()
        GoLeaks.verifyNone(before, Duration.ofSeconds(5))
    }

    test("a cancelled goroutine that goes on running (it ignores the cancellation) is still a leak") {
        val before = GoLeaks.running()
        val stop = java.util.concurrent.CountDownLatch(1)
        val started = java.util.concurrent.CountDownLatch(1)
        val stubborn = go {
            started.countDown()
            while (!stop.await(1, java.util.concurrent.TimeUnit.MILLISECONDS)) Unit // blocks: cancelling does not stop it
        }
        started.await(5, java.util.concurrent.TimeUnit.SECONDS) shouldBe true
        stubborn.cancel()
        GoLeaks.startedSince(before, Duration.ofMillis(30)).size shouldBe 1
        stop.countDown()
        GoLeaks.verifyNone(before, Duration.ofSeconds(5))
    }

    test("goroutines running before the snapshot are not counted; one that ends within the grace is not a leak") {
        val old = go { awaitCancellation() }
        val before = GoLeaks.running()
        val gate = CompletableDeferred<Unit>()
        go { gate.await() }
        go(dev.conduit.context.Context.background()) { gate.await() }
        runBlocking { launch { gate.complete(Unit) } }
        GoLeaks.startedSince(before, Duration.ofSeconds(5)).shouldBeEmpty()
        old.cancel()
    }

    test("without recorded sites a leak is still listed (sites are recorded anyway while detection is on); the runtime's own coroutines (timers, pools) are not goroutines") {
        GoLeaks.recordCreationSites(false) // the project's Kotest config turns it on for every test
        val before = GoLeaks.running()
        val leak = go { awaitCancellation() }
        val timer = GoRuntime.scope.launch(CoroutineName("a timer")) { awaitCancellation() }
        val leaked = GoLeaks.startedSince(before, Duration.ofMillis(20))
        leaked.map { it.toString().substringBefore(", started at") } shouldBe listOf("coroutine 'go'")
        // This suite runs with -Dconduit.diagnostics=true, which records every goroutine's creation site.
        (leaked.single().creationSite.isEmpty()) shouldBe !Diagnostics.isEnabled
        leak.cancel()
        timer.cancel()
    }
})
