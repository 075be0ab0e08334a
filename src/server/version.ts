// The versions the node reports: the Redis it answers as (INFO, HELLO, --version) and its own.

export const REDIS_COMPAT_VERSION = '7.0.15';
export const RCTL_NODE_VERSION = '0.1.0';
