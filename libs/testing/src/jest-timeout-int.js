// The integration tier's timeout per test and hook (real databases, Redis and Nest apps start in
// them). Set here because Jest reads `testTimeout` from the root config only, not from a project.
/* global jest */
jest.setTimeout(30_000);
