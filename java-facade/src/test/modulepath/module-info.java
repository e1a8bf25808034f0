/**
 * The program {@code ModulePathIT} compiles and runs against Conduit's packaged jars on the module
 * path: a consumer module that needs nothing but the facade.
 */
module dev.conduit.modulepath {
    requires dev.conduit.java;
}
