"""Stands in for systemd's notify socket in the daemon tests: binds the
datagram socket argv[1] and appends each line of each message to argv[2],
until STOPPING=1 or 30 s without a message."""
import socket
import sys

s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
s.settimeout(30)
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        try:
            msg = s.recv(4096).decode()
        except socket.timeout:
            break
        for line in msg.split("\n"):
            out.write(line + "\n")
        if "STOPPING=1" in msg:
            break
