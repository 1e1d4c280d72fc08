"""Every sentence the bot says, in English and French; `say(key, language, **values)`."""

from __future__ import annotations

_MESSAGES: dict[str, tuple[str, str]] = {  # key: (English, French)
    "welcome": (
        "Hello! I can create, list, show and delete helpdesk tickets. "
        "Type 'help' for examples, 'quit' to leave.",
        "Bonjour ! Je peux créer, lister, afficher et supprimer des tickets. "
        "Tapez « aide » pour des exemples, « quitter » pour sortir.",
    ),
    "greet": (
        "Hello! What can I do for you? (type 'help' for examples)",
        "Bonjour ! Que puis-je faire pour vous ? (tapez « aide » pour des exemples)",
    ),
    "goodbye": ("Goodbye!", "Au revoir !"),
    "out_of_scope": (
        "Sorry, I can only help with helpdesk tickets. Type 'help' to see what I can do.",
        "Désolé, je ne m'occupe que des tickets. Tapez « aide » pour voir ce que je sais faire.",
    ),
    "help": (
        "I can:\n"
        "  • create a ticket   “new ticket: my screen stays black”\n"
        "  • list tickets      “show the HR tickets”\n"
        "  • show a ticket     “ticket 12”, “what's the status of #12”\n"
        "  • delete a ticket   “delete ticket 12”\n"
        "Write in English or in French.\n"
        "Type 'cancel' (or Ctrl-C) during a question to stop; 'quit' (or Ctrl-D) to leave.",
        "Je sais :\n"
        "  • créer un ticket      « nouveau ticket : mon écran reste noir »\n"
        "  • lister les tickets   « montre les tickets RH »\n"
        "  • afficher un ticket   « ticket 12 », « où en est le n°12 »\n"
        "  • supprimer un ticket  « supprime le ticket 12 »\n"
        "Écrivez en français ou en anglais.\n"
        "Tapez « annuler » (ou Ctrl-C) pendant une question pour arrêter ; « quitter » (ou "
        "Ctrl-D) pour sortir.",
    ),
    "not_sure": (
        "I'm not sure what you mean. What would you like to do?",
        "Je ne suis pas sûr de comprendre. Que voulez-vous faire ?",
    ),
    "choice_create_ticket": ("Create a ticket", "Créer un ticket"),
    "choice_list_tickets": ("List tickets", "Lister les tickets"),
    "choice_get_ticket": ("Show a ticket", "Afficher un ticket"),
    "choice_delete_ticket": ("Delete a ticket", "Supprimer un ticket"),
    "choice_help": ("See what I can do", "Voir ce que je sais faire"),
    "choice_none": ("None of these, I'll rephrase", "Rien de tout ça, je reformule"),
    "rephrase": ("OK, tell me again in other words.", "D'accord, redites-le autrement."),
    "cancelled": ("Cancelled.", "Annulé."),
    "nothing_to_cancel": (
        "Nothing to cancel. What would you like to do?",
        "Rien à annuler. Que voulez-vous faire ?",
    ),
    "ask_description": ("Describe the problem:", "Décrivez le problème :"),
    "description_empty": (
        "Please type a description (or 'cancel').",
        "Tapez une description (ou « annuler »).",
    ),
    "preview": ("→ {department}, {percent}", "→ {department}, {percent}"),
    "preview_triage": (
        "→ Triage (a person will route it), {percent}",
        "→ Triage (une personne l'orientera), {percent}",
    ),
    "department_said": (
        "(You mentioned {said}; the service routes by the description.)",
        "(Vous avez cité {said} ; le service oriente selon la description.)",
    ),
    "confirm_create": ("Create this ticket?", "Créer ce ticket ?"),
    "not_created": ("OK, no ticket created.", "D'accord, aucun ticket créé."),
    "created": ("Ticket #{id} created → {department}.", "Ticket n°{id} créé → {department}."),
    "list_empty": ("No tickets yet.", "Aucun ticket pour l'instant."),
    "list_empty_department": ("No {department} tickets.", "Aucun ticket {department}."),
    "list_more": (
        "Showing the {shown} newest of {total}.",
        "Les {shown} plus récents sur {total}.",
    ),
    "ask_id": ("Which ticket? (its number)", "Quel ticket ? (son numéro)"),
    "id_invalid": (
        "Type a ticket number, e.g. 12 (or 'cancel').",
        "Tapez un numéro de ticket, par ex. 12 (ou « annuler »).",
    ),
    "unknown_id": ("There is no ticket #{id}.", "Il n'y a pas de ticket n°{id}."),
    "confirm_delete": (
        "Delete ticket #{id}? This cannot be undone.",
        "Supprimer le ticket n°{id} ? C'est définitif.",
    ),
    "deleted": ("Ticket #{id} deleted.", "Ticket n°{id} supprimé."),
    "not_deleted": ("OK, ticket #{id} kept.", "D'accord, le ticket n°{id} est conservé."),
    "api_unreachable": (
        "The ticket service at {url} does not answer.",
        "Le service de tickets ({url}) ne répond pas.",
    ),
    "api_timeout": (
        "The ticket service took more than {seconds:g} s to answer.",
        "Le service de tickets n'a pas répondu en {seconds:g} s.",
    ),
    "api_unauthorized": (
        "The ticket service refused the API key: set TRIAGE_API_KEY to a valid key.",
        "Le service de tickets refuse la clé d'API : mettez une clé valide dans TRIAGE_API_KEY.",
    ),
    "api_forbidden": (
        "Your API key does not allow this ({detail}).",
        "Votre clé d'API ne permet pas cette action ({detail}).",
    ),
    "api_error": (
        "The ticket service answered with an error ({status}): {detail}",
        "Le service de tickets a répondu par une erreur ({status}) : {detail}",
    ),
    "api_invalid": (
        "The ticket service sent an answer I cannot read.",
        "Le service de tickets a envoyé une réponse illisible.",
    ),
    "retry": ("Try again?", "Réessayer ?"),
    "field_department": ("Department", "Service"),
    "field_routing": ("Routing", "Orientation"),
    "field_created": ("Created", "Créé le"),
    "field_requester": ("Requester", "Demandeur"),
    "field_title": ("Title", "Titre"),
    "field_description": ("Description", "Description"),
    "field_date": ("Date", "Date"),
    "ticket_heading": ("Ticket #{id}", "Ticket n°{id}"),
    "routed_rule": ("rule", "règle"),
    "routed_model": ("model", "modèle"),
    "routed_fallback": ("unsure: waiting for a person", "incertain : en attente d'une personne"),
}


def say(key: str, language: str, **values: object) -> str:
    """The message `key` in `language` ('fr', else English), filled with `values`."""
    english, french = _MESSAGES[key]
    return (french if language == "fr" else english).format(**values)


def percent(value: float, language: str) -> str:
    """0.873 -> '87%' in English, '87 %' in French."""
    number = round(value * 100)
    return f"{number} %" if language == "fr" else f"{number}%"
