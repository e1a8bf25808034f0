package dev.conduit.chan

import com.google.common.collect.testing.QueueTestSuiteBuilder
import com.google.common.collect.testing.TestStringQueueGenerator
import com.google.common.collect.testing.features.CollectionFeature
import com.google.common.collect.testing.features.CollectionSize
import io.kotest.core.spec.style.FunSpec
import io.kotest.matchers.collections.shouldHaveAtLeastSize
import junit.framework.Test
import junit.framework.TestCase
import junit.framework.TestSuite
import java.util.Queue

/**
 * Guava testlib's `java.util.Queue` conformance suite over the [asBlockingQueue] view of a
 * buffered channel (`Chan(64)`, an `ArrayBlockingQueue`'s counterpart, and `Chan(Int.MAX_VALUE)`,
 * a `LinkedBlockingQueue`'s), single-threaded, each of Guava's tests one Kotest test here (so
 * the count shows in the report).
 *
 * Declared: insertion order, general-purpose (add, `remove(Object)`, `removeAll`, `retainAll`,
 * `clear`, iterator removal) and null queries (`contains(null)` is false, as in the JDK
 * queues); not declared: null elements (refused) and fail-fast iteration (the iterator is
 * weakly consistent). Nothing is suppressed. The blocking operations, `drainTo`, the unbuffered
 * (`SynchronousQueue`-like) view and concurrency are covered by ChanBlockingQueueLincheckTest
 * and the facade's ChannelBlockingQueueTest.
 */
class ChanBlockingQueueConformanceTest : FunSpec({
    for ((name, capacity) in listOf("Chan[64]" to 64, "Chan[Int.MAX_VALUE]" to Int.MAX_VALUE)) {
        val suite = QueueTestSuiteBuilder.using(object : TestStringQueueGenerator() {
            override fun create(elements: Array<String>): Queue<String> =
                Chan<String>(capacity).asBlockingQueue().also { q -> elements.forEach { q.add(it) } }
        })
            .named("$name.asBlockingQueue")
            .withFeatures(
                CollectionFeature.KNOWN_ORDER,
                CollectionFeature.GENERAL_PURPOSE,
                CollectionFeature.ALLOWS_NULL_QUERIES,
                CollectionSize.ANY,
            )
            .createTestSuite()
        val cases = testCases(suite, "")
        test("$name: Guava's suite has its queue and collection testers") { cases shouldHaveAtLeastSize 200 }
        for ((path, case) in cases) test(path) { case.runBare() }
    }
})

/** Every test case under [test], each with its path of suite names (unique, as Kotest wants). */
private fun testCases(test: Test, path: String): List<Pair<String, TestCase>> = when (test) {
    is TestSuite -> test.tests().toList().flatMap { testCases(it, "$path${test.name} / ") }
    is TestCase -> listOf("$path${test.name}" to test)
    else -> error("not a JUnit 3 suite or case: $test")
}
