// Internal names the external tests of this package use.

package middleware

// ModuleVersionForTest is moduleVersion, for the external tests.
const ModuleVersionForTest = moduleVersion
