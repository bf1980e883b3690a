"""The criminal justice system's lists that findings, case reviews, surveys and actions share: the
twelve rights of the Code of Practice for Victims of Crime in England and Wales (2020, in force
April 2021) and the agencies that deliver them."""

from __future__ import annotations

# (code, the right as the Code words it). Codes are stored; the numbers are the Code's own.
VICTIMS_CODE_RIGHTS = (
    ("right_1", "Right 1: to be able to understand and to be understood"),
    ("right_2", "Right 2: to have the details of the crime recorded without unjustified delay"),
    ("right_3", "Right 3: to be provided with information when reporting the crime"),
    ("right_4", "Right 4: to be referred to services that support victims"),
    ("right_5", "Right 5: to be provided with information about compensation"),
    ("right_6", "Right 6: to be provided with information about the investigation and prosecution"),
    ("right_7", "Right 7: to make a Victim Personal Statement"),
    ("right_8", "Right 8: to be given information about the trial and your role as a witness"),
    ("right_9", "Right 9: to be given information about the outcome of the case and any appeals"),
    ("right_10", "Right 10: to be paid expenses and have property returned"),
    ("right_11", "Right 11: to be given information about the offender following a conviction"),
    ("right_12", "Right 12: to make a complaint about your rights not being met"),
)
RIGHT_LABELS = dict(VICTIMS_CODE_RIGHTS)

AGENCIES = (
    ("police", "The police force"),
    ("cps", "Crown Prosecution Service"),
    ("hmcts", "HM Courts and Tribunals Service"),
    ("witness_care", "Witness Care Unit"),
    ("witness_service", "Witness Service"),
    ("probation", "Probation Service"),
    ("support_services", "Commissioned support services"),
    ("opcc", "Office of the Police and Crime Commissioner"),
    ("other", "Another organisation"),
)
