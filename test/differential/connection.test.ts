import { describeDifferential } from '../helpers/differential';

describeDifferential('connection', [
  { name: 'PING with and without a message', steps: [['PING'], ['PING', 'hello'], ['ping', 'a', 'b']] },
  { name: 'ECHO', steps: [['ECHO', 'x'], ['ECHO'], ['ECHO', ''], ['ECHO', 'a', 'b']] },
  { name: 'unknown commands and subcommands', steps: [['NOSUCH'], ['nosuch', 'a', 'b'], ['CONFIG', 'nosuch']] },
  { name: 'SELECT', steps: [['SELECT', '1'], ['SELECT', '16'], ['SELECT', '-1'], ['SELECT', 'x'], ['SELECT', '0']] },
  { name: 'AUTH without a password configured', steps: [['AUTH', 'x'], ['AUTH', 'default', 'x'], ['AUTH', 'a', 'b', 'c'], ['AUTH', 'bob', 'x']] },
  { name: 'HELLO errors', steps: [['HELLO', '4'], ['HELLO', 'x'], ['HELLO', '3', 'SETNAME'], ['HELLO', '2', 'FOO']] },
  { name: 'MULTI/EXEC basics', steps: [['MULTI'], ['PING'], ['ECHO', 'a'], ['EXEC'], ['EXEC'], ['DISCARD']] },
  { name: 'MULTI nested and EXECABORT', steps: [['MULTI'], ['MULTI'], ['NOSUCH'], ['PING'], ['EXEC']] },
  { name: 'MULTI with wrong arity queued', steps: [['MULTI'], ['ECHO'], ['EXEC']] },
  { name: 'WATCH inside MULTI', steps: [['MULTI'], ['WATCH', 'k'], ['DISCARD'], ['UNWATCH']] },
  { name: 'RESP3 PING and ECHO', resp3: true, steps: [['PING'], ['ECHO', 'x']] },
  {
    name: 'RESET ends tracking, the client name, the database and MULTI',
    steps: [['CLIENT', 'SETNAME', 'tc'], ['CLIENT', 'TRACKING', 'ON'], ['SELECT', '3'], ['MULTI'], ['RESET'], ['CLIENT', 'TRACKINGINFO'], ['CLIENT', 'GETNAME'], ['CLIENT', 'GETREDIR'], ['EXEC']],
  },
]);
