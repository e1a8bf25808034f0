package dev.conduit.testing

import dev.conduit.GoLeaks
import dev.conduit.LiveGoroutine
import org.junit.jupiter.api.extension.AfterEachCallback
import org.junit.jupiter.api.extension.BeforeEachCallback
import org.junit.jupiter.api.extension.ExtensionContext
import java.time.Duration

/**
 * A JUnit 5 extension, Go's `goleak` for Conduit: it fails a test that leaves a Conduit
 * goroutine running (Kotlin's `go`, the Java facade's `Go.go`, [GoLeaks]'s sources), listing
 * each with where it was started. Goroutines running before the test are not counted; those
 * started during it get [GRACE] after it to end. During each test, creation sites are
 * recorded. It compares snapshots of the whole JVM, so tests that run in parallel would see
 * each other's goroutines: use it where tests run one at a time.
 *
 * ```
 * @ExtendWith(GoLeakExtension.class)
 * class MyTest { ... }
 * ```
 *
 * Or for every test of a suite: register it in
 * `META-INF/services/org.junit.jupiter.api.extension.Extension` and set
 * `junit.jupiter.extensions.autodetection.enabled=true`. JUnit needs it on the class path:
 * `org.junit.jupiter:junit-jupiter-api` is an optional dependency of Conduit's core. Its
 * callbacks block up to [GRACE] after each test.
 */
public class GoLeakExtension : BeforeEachCallback, AfterEachCallback {
    override fun beforeEach(context: ExtensionContext) {
        GoLeaks.recordCreationSites(true)
        context.getStore(NAMESPACE).put(BEFORE, GoLeaks.running())
    }

    override fun afterEach(context: ExtensionContext) {
        @Suppress("UNCHECKED_CAST")
        val before = context.getStore(NAMESPACE).remove(BEFORE) as List<LiveGoroutine>? ?: return
        try {
            GoLeaks.verifyNone(before, GRACE)
        } finally {
            GoLeaks.recordCreationSites(false)
        }
    }

    public companion object {
        /** How long goroutines started by a test may take to end after it: 2 s. */
        @JvmField
        public val GRACE: Duration = Duration.ofSeconds(2)

        private val NAMESPACE = ExtensionContext.Namespace.create(GoLeakExtension::class.java)
        private const val BEFORE = "goroutines before the test"
    }
}
