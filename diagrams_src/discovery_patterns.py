"""The two classic answers to "which instance gets this request", side by side.

Server-side discovery puts a router between client and instances, so the client knows one
address and the router consults the registry. Client-side discovery ships a library inside
every client that fetches the registry and picks an instance itself. The registration edges
differ too: on the left a third party (the platform) writes the registry; on the right each
instance registers itself and must keep renewing its lease.
"""

from diagrams import Cluster, Diagram, Edge
from diagrams.generic.storage import Storage
from diagrams.onprem.client import Client
from diagrams.onprem.compute import Server
from diagrams.onprem.network import Consul, Haproxy
from diagrams.programming.language import Java

QUERY = "darkorange"
REGISTER = "seagreen"

with Diagram(
    "Server-side vs client-side discovery",
    direction="TB",
    graph_attr={"splines": "spline", "nodesep": "0.6", "ranksep": "0.9"},
):
    with Cluster("Server-side discovery"):
        client = Client("client\n(knows one address)")
        router = Haproxy("router / load balancer")
        registry_s = Consul("service registry")
        registrar = Server("registrar\n(third-party registration)")
        with Cluster("orders instances"):
            left = [Server("orders-1"), Server("orders-2"), Server("orders-3")]
        client >> Edge(label="request") >> router
        router >> Edge(label="which instances?", color=QUERY, fontcolor=QUERY) >> registry_s
        router >> Edge(label="forward") >> left[1]
        (
            registrar
            >> Edge(label="register,\nderegister", color=REGISTER, fontcolor=REGISTER)
            >> registry_s
        )
        registrar >> Edge(label="health checks", style="dashed") >> left[2]

    with Cluster("Client-side discovery"):
        app = Java("client + discovery library\n(cached registry copy)")
        registry_c = Storage("service registry\n(e.g. Eureka server)")
        with Cluster("payments instances"):
            right = [Server("payments-1"), Server("payments-2"), Server("payments-3")]
        app >> Edge(label="fetch every 30 s", color=QUERY, fontcolor=QUERY) >> registry_c
        app >> Edge(label="request, direct") >> right[1]
        for instance in right:
            (
                instance
                >> Edge(
                    label="register, then\nheartbeat every 30 s" if instance is right[2] else "",
                    color=REGISTER,
                    fontcolor=REGISTER,
                )
                >> registry_c
            )
