/**
 * The nested VM of E1 as lab-file YAML, for the exercise tests' fixtures: the hypervisor
 * `esxi` (uplink `esxi-nic0` on `lan`, switch `esxi-vsw0`) holding `web1` (`web1-nic0`).
 * Items of a `vms:` list, indented to sit right under it.
 */
export const ESXI_WITH_WEB1 = `  - id: esxi
    guestOs: esxi
    adapters:
      - { id: esxi-nic0, network: lan, mac: "02:00:00:00:00:01", ip: 10.0.0.10/24 }
    switches:
      - { id: esxi-vsw0, uplink: esxi-nic0 }
    nested:
      - id: web1
        adapters:
          - { id: web1-nic0, switch: esxi-vsw0, mac: "02:00:00:00:01:01", ip: 10.0.0.21/24 }`;
