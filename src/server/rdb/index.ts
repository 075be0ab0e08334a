// The RDB codec of the bundled node, shared by replication (full sync) and persistence (SAVE/BGSAVE, loading).

export { RdbReader, readRdb, readRdbBuffer, type RdbHandlers, type RdbReaderOptions, type RdbReadSummary } from './reader';
export {
  writeRdb,
  pipeRdb,
  writeRdbToBuffer,
  databaseFromMaps,
  DEFAULT_REDIS_VERSION,
  type RdbAuxInfo,
  type RdbDatabase,
  type RdbEntry,
  type ListpackLimits,
  type RdbReplicationInfo,
  type RdbSource,
  type RdbWriterOptions,
  type RdbWriteSummary,
} from './writer';
export { RdbError } from './errors';
export { crc64, Crc64 } from './crc64';
export { RDB_WRITE_VERSION, RDB_MAX_READ_VERSION } from './constants';
