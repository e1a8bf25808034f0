package dev.conduit

/**
 * Whether Lincheck's model checker can be trusted on this JVM for code that uses monitors.
 * Lincheck 2.39 cannot read JDK 25 class files ("Unsupported class file major version 69"), so
 * it leaves JDK classes uninstrumented there and its model checker reports false hangs on
 * `synchronized` blocks (seen: a cancel holding a context's monitor while closing its channel).
 * On JDK 25 those tests run the stress strategy only.
 */
val monitorModelCheckingWorks: Boolean = Runtime.version().feature() < 25

/** Larger Lincheck runs under `-Pstress`. */
val stressRun: Boolean = System.getProperty("conduit.stress") == "true"
