package dev.conduit.testing

import org.junit.jupiter.api.extension.AfterEachCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import java.time.Duration

/**
 * A JUnit 5 extension, Go's `goleak` for Conduit: it fails a test that leaves a Conduit
 * goroutine running (Kotlin's `go`, the Java facade's `Go.go`, [dev.conduit.GoLeaks]'s
 * sources) [GRACE] after it, listing each with where it was started. With detection on
 * (`-Dconduit.diagnostics=true`) it also fails a test during which the watchdog reported a
 * leaked coroutine (unless tagged [EXPECTED_LEAK]) or a deadlock (unless tagged
 * [EXPECTED_DEADLOCK]); a leak is found once the JVM collects the coroutine, which may be after
 * the test that leaked it, and the report tells whose it is. A test that failed on its own is
 * left as it is.
 *
 * Goroutines running before the test are not counted; during each test, creation sites are
 * recorded. It compares snapshots of the whole JVM, so tests that run in parallel would see
 * each other's goroutines: use it where tests run one at a time.
 *
 * ```
 * @ExtendWith(GoLeakExtension.class)
 * class MyTest {
 *     @Test @Tag(GoLeakExtension.EXPECTED_DEADLOCK) void deadlocksOnPurpose() { ... }
 * }
 * ```
 *
 * Or for every test of a suite: register it in
 * `META-INF/services/org.junit.jupiter.api.extension.Extension` and set
 * `junit.jupiter.extensions.autodetection.enabled=true`. JUnit needs it on the class path:
 * `org.junit.jupiter:junit-jupiter-api` is an optional dependency of Conduit's core. Its
 * callbacks block up to [GRACE] after each test. Kotest users have [GoLeakKotestExtension].
 */
public class GoLeakExtension : BeforeEachCallback, AfterEachCallback {
    /** Lists the goroutines running before the test and starts recording creation sites. Never blocks. */
    override fun beforeEach(context: ExtensionContext) {
        context.getStore(NAMESPACE).put(WATCH, TestWatch.begin())
    }

    /**
     * Checks what the class comment says. Blocks up to [GRACE].
     *
     * @throws dev.conduit.GoroutineLeakError listing the goroutines still running.
     * @throws AssertionError with the watchdog's reports, if it reported a leak or a deadlock the test's tags do not expect.
     */
    override fun afterEach(context: ExtensionContext) {
        val watch = context.getStore(NAMESPACE).remove(WATCH) as TestWatch? ?: return
        val tags = context.tags
        watch.end(context.displayName, context.executionException.isEmpty, EXPECTED_LEAK in tags, EXPECTED_DEADLOCK in tags, GRACE)?.let { throw it }
    }

    public companion object {
        /** How long goroutines started by a test may take to end after it: 2 s. */
        @JvmField
        public val GRACE: Duration = TestWatch.GRACE

        /** The JUnit tag of a test that leaks a coroutine on purpose: the leak reports during it pass. */
        public const val EXPECTED_LEAK: String = TestWatch.EXPECTED_LEAK

        /** The JUnit tag of a test that deadlocks on purpose: the deadlock reports during it pass. */
        public const val EXPECTED_DEADLOCK: String = TestWatch.EXPECTED_DEADLOCK

        private val NAMESPACE = ExtensionContext.Namespace.create(GoLeakExtension::class.java)
        private const val WATCH = "Conduit's watch over the test"
    }
}
