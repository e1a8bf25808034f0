package io.kotest.provided

import dev.conduit.testing.GoLeakKotestExtension
import io.kotest.core.config.AbstractProjectConfig
import io.kotest.core.extensions.Extension

/**
 * The project's Kotest setup (Kotest 6 looks for this class by name): every test runs under
 * Conduit's own [GoLeakKotestExtension], so a test that leaves a goroutine running fails,
 * listing it; and, with the deadlock watchdog on (`-Dconduit.diagnostics=true`), a test during
 * which it reports a deadlock or a leaked coroutine fails, unless tagged as expecting it.
 */
object ProjectConfig : AbstractProjectConfig() {
    override val extensions: List<Extension> = listOf(GoLeakKotestExtension)
}
