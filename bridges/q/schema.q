/ statarb kdb+ schema: trade and quote tables in the kdb+tick layout (time and sym first).
/ Loaded by QSession on connect (bridges/q/session.ts).

trade:([] time:`timestamp$(); sym:`symbol$(); price:`float$(); size:`long$(); side:`char$())
quote:([] time:`timestamp$(); sym:`symbol$(); bid:`float$(); ask:`float$(); bsize:`long$(); asize:`long$())

/ column names of each table, for publishers and checks
.statarb.schema:`trade`quote!(cols trade;cols quote)
