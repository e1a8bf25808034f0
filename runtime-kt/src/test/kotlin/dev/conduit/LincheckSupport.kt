package dev.conduit

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions

/** Larger Lincheck runs under `-Pstress`. */
val stressRun: Boolean = System.getProperty("conduit.stress") == "true"

/**
 * Model checking sized for operations that suspend: each explored interleaving of a suspending
 * select costs far more than a plain one (a mutex's model check took 150 s at the default
 * 20 x 500), so the default build explores 6 x 100; `-Pstress` explores 100 x 5,000.
 */
fun suspendingModelChecking(threads: Int = 3, actorsPerThread: Int = 2): ModelCheckingOptions =
    ModelCheckingOptions()
        .iterations(if (stressRun) 100 else 6)
        .invocationsPerIteration(if (stressRun) 5_000 else 100)
        .threads(threads)
        .actorsPerThread(actorsPerThread)
        .minimizeFailedScenario(false)
