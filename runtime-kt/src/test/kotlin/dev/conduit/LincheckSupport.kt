package dev.conduit

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions
import org.jetbrains.lincheck.datastructures.StressOptions

/** Larger Lincheck runs under `-Pstress`. */
val stressRun: Boolean = System.getProperty("conduit.stress") == "true"

/** [default] in the default build, [stress] under `-Pstress` (which must be the larger). */
fun lincheckSize(default: Int, stress: Int): Int {
    require(stress >= default) { "the -Pstress size $stress must not be below the default $default" }
    return if (stressRun) stress else default
}

/**
 * Model checking sized for operations that suspend: each explored interleaving of a suspending
 * select costs far more than a plain one (a mutex's model check took 150 s at Lincheck's
 * default 20 x 500), so the default build explores 8 x 110; `-Pstress` explores 100 x 5,000.
 */
fun suspendingModelChecking(threads: Int = 3, actorsPerThread: Int = 2): ModelCheckingOptions =
    ModelCheckingOptions()
        .iterations(lincheckSize(8, 100))
        .invocationsPerIteration(lincheckSize(110, 5_000))
        .threads(threads)
        .actorsPerThread(actorsPerThread)
        .minimizeFailedScenario(false)

/** Model checking of operations that never suspend: 22 x 600 by default, 100 x 5,000 under `-Pstress`. */
fun plainModelChecking(threads: Int = 3, actorsPerThread: Int = 2): ModelCheckingOptions =
    ModelCheckingOptions()
        .iterations(lincheckSize(22, 100))
        .invocationsPerIteration(lincheckSize(600, 5_000))
        .threads(threads)
        .actorsPerThread(actorsPerThread)
        .minimizeFailedScenario(false)

/** Lincheck's stress mode on real threads: 25 x 550 by default, 100 x 5,000 under `-Pstress`. */
fun stressChecking(threads: Int = 3, actorsPerThread: Int = 3): StressOptions =
    StressOptions()
        .iterations(lincheckSize(25, 100))
        .invocationsPerIteration(lincheckSize(550, 5_000))
        .threads(threads)
        .actorsPerThread(actorsPerThread)
        .minimizeFailedScenario(false)
