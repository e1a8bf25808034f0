package dev.conduit.ring

import com.google.common.collect.testing.QueueTestSuiteBuilder
import com.google.common.collect.testing.TestStringQueueGenerator
import com.google.common.collect.testing.features.CollectionFeature
import com.google.common.collect.testing.features.CollectionSize
import com.google.common.collect.testing.testers.CollectionClearTester
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.ints.shouldBeGreaterThan
import io.kotest.matchers.shouldBe
import junit.framework.TestResult
import java.util.Queue

/**
 * Guava testlib's `java.util.Queue` conformance suite against every ring, single-threaded.
 *
 * Declared: insertion order, add/offer, null queries; not declared: general removal
 * (`remove(Object)`, `removeAll`, iterator removal), which a lock-free ring cannot do in the
 * middle. One test is suppressed because of that split: `testClear_unsupported` expects
 * `clear()` to throw whenever general removal is absent, but `clear()` on a queue is a `poll`
 * loop and is supported. `poll`/`remove()`/`drain` are covered by RingContractTest and the
 * Lincheck tests.
 */
class RingConformanceTest : FunSpec({
    val makers: List<Pair<String, () -> Queue<String>>> = listOf(
        "SpscRing" to { SpscRing(64) },
        "MpscRing" to { MpscRing(64) },
        "MpmcRing" to { MpmcRing(64) },
    )
    for ((name, make) in makers) {
        test("$name passes Guava's Queue conformance suite") {
            val suite = QueueTestSuiteBuilder.using(object : TestStringQueueGenerator() {
                override fun create(elements: Array<String>): Queue<String> = make().also { q -> elements.forEach { q.add(it) } }
            })
                .named(name)
                .withFeatures(
                    CollectionFeature.KNOWN_ORDER,
                    CollectionFeature.SUPPORTS_ADD,
                    CollectionFeature.ALLOWS_NULL_QUERIES,
                    CollectionSize.ANY,
                )
                .suppressing(CollectionClearTester::class.java.getMethod("testClear_unsupported"))
                .createTestSuite()
            val result = TestResult()
            suite.run(result)
            val problems = (result.failures().toList() + result.errors().toList()).map { "${it.failedTest()}: ${it.thrownException()}" }
            problems shouldBe emptyList()
            result.runCount() shouldBeGreaterThan 100
        }
    }
})
